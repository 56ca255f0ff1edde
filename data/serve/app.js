// redcard serve: the app's only script, served from the package (CSP: script-src 'self'; no inline code).
// Untrusted text (model answers, user messages) only ever goes into the page through textContent.
'use strict';
(function () {
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // Content warnings: reveal a blurred response on click.
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-reveal]') : null;
    if (!button) return;
    var box = button.closest('[data-cw]');
    var response = box && box.querySelector('[data-response]');
    if (!response) return;
    var hidden = response.classList.toggle('blurred');
    box.classList.toggle('revealed', !hidden);
    button.textContent = hidden ? 'Show response' : 'Hide response';
  });

  // Red-team chat: send with fetch and show the answer as it streams (server-sent events over the POST response).
  var chatForm = document.querySelector('[data-chat-form]');
  if (chatForm && window.fetch && window.ReadableStream) {
    chatForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var input = chatForm.querySelector('[data-chat-input]');
      var status = chatForm.querySelector('[data-chat-status]');
      var send = chatForm.querySelector('[data-chat-send]');
      var content = input.value;
      if (content.trim() === '') return;
      var log = document.querySelector('[data-chat-log]');
      var empty = log.querySelector('.chat-empty');
      if (empty) empty.remove();
      log.appendChild(bubble('user', 'you', content));
      var answer = bubble('assistant', 'answer', '');
      answer.classList.add('streaming');
      log.appendChild(answer);
      var text = answer.querySelector('.bubble-text');
      input.value = '';
      send.disabled = true;
      status.textContent = 'waiting for the model…';
      fetch('/api/conversations/' + chatForm.getAttribute('data-conversation') + '/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-csrf-token': csrf },
        body: JSON.stringify({ content: content }),
      }).then(function (response) {
        if (!response.ok) {
          return response.json().then(function (body) { throw new Error(body.error || ('HTTP ' + response.status)); });
        }
        return readEvents(response.body.getReader(), function (name, data) {
          if (name === 'delta') { text.textContent += data.text; status.textContent = 'streaming…'; }
          else if (name === 'note') { status.textContent = data.text; answer.querySelector('.speaker').textContent = data.text; }
          else if (name === 'done') { answer.classList.remove('streaming'); status.textContent = 'done'; window.location.reload(); }
          else if (name === 'error') { throw new Error(data.message); }
        });
      }).catch(function (error) {
        answer.classList.remove('streaming');
        answer.classList.add('failed');
        text.textContent = 'Error: ' + error.message;
        input.value = content;
        status.textContent = '';
        send.disabled = false;
      });
    });
  }

  function bubble(role, speaker, content) {
    var item = document.createElement('li');
    item.className = 'bubble bubble-' + role;
    var who = document.createElement('div');
    who.className = 'speaker';
    who.textContent = speaker;
    var body = document.createElement('pre');
    body.className = 'bubble-text';
    body.textContent = content;
    item.appendChild(who);
    item.appendChild(body);
    return item;
  }

  function readEvents(reader, onEvent) {
    var decoder = new TextDecoder();
    var buffer = '';
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          var block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          var name = 'message';
          var data = '';
          block.split('\n').forEach(function (line) {
            if (line.indexOf('event:') === 0) name = line.slice(6).trim();
            else if (line.indexOf('data:') === 0) data += line.slice(5).trim();
          });
          onEvent(name, data ? JSON.parse(data) : {});
        }
        return pump();
      });
    }
    return pump();
  }

  // Live agreement: refresh the figures of every agreement panel every few seconds.
  var panels = document.querySelectorAll('[data-agreement]');
  if (panels.length > 0 && window.fetch) {
    var refresh = function () {
      panels.forEach(function (panel) {
        fetch('/api/tasks/' + panel.getAttribute('data-agreement') + '/agreement', { headers: { accept: 'application/json' } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (agreement) { if (agreement) showAgreement(panel, agreement); })
          .catch(function () { /* offline for a moment: keep the last figures */ });
      });
    };
    setInterval(refresh, 2500);
  }

  function figure(value) { return value === null ? '–' : value.toFixed(2); }
  function showAgreement(panel, agreement) {
    ['completeItems', 'items', 'labels', 'remaining'].forEach(function (field) {
      var cell = panel.querySelector('[data-field="' + field + '"]');
      if (cell) cell.textContent = String(agreement[field]);
    });
    var progress = panel.querySelector('[data-progress]');
    if (progress) { progress.max = Math.max(1, agreement.items); progress.value = agreement.completeItems; }
    var stale = panel.querySelector('[data-stale]');
    if (stale && String(agreement.labels) !== panel.getAttribute('data-labels-at-load')) stale.hidden = false;
    agreement.questions.forEach(function (question) {
      var row = panel.querySelector('[data-question="' + question.question + '"]');
      if (!row) return;
      row.querySelector('[data-field="alpha"]').textContent = figure(question.alpha);
      row.querySelector('[data-field="alphaItems"]').textContent = String(question.alphaItems);
      row.querySelector('[data-field="kappa"]').textContent = figure(question.kappa);
      row.querySelector('[data-field="kappaItems"]').textContent = String(question.kappaItems);
      row.querySelector('[data-field="reading"]').textContent = question.reading;
    });
  }
})();
