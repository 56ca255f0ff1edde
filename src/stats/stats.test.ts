import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilsonInterval } from './wilson-interval.js';
import { newcombeDifference } from './newcombe-difference.js';
import { benjaminiHochberg, erfc, newcombePValue } from './multiple-testing.js';
import { correctedRate, MIN_IDENTIFIABLE_YOUDEN, roganGladenEstimate } from './rogan-gladen.js';

const close = (actual: number | null, expected: number, digits = 4): void => {
  assert.ok(actual !== null, 'expected a number, got null');
  assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${actual} ≠ ${expected} (to ${digits} decimals)`);
};

test('Wilson 95 % interval: 0/10, 10/10, 5/10 (hand-computed from the closed form with z = 1.95996)', () => {
  const none = wilsonInterval(0, 10);
  assert.equal(none.lower, 0);
  close(none.upper, 0.2775);
  const all = wilsonInterval(10, 10);
  close(all.lower, 0.7225);
  assert.equal(all.upper, 1);
  const half = wilsonInterval(5, 10);
  close(half.lower, 0.2366);
  close(half.upper, 0.7634);
  assert.equal(half.estimate, 0.5);
});

test('Wilson: n = 0 gives the vacuous interval, bad counts throw', () => {
  assert.deepEqual(wilsonInterval(0, 0), { successes: 0, n: 0, estimate: 0, lower: 0, upper: 1 });
  assert.throws(() => wilsonInterval(3, 2), RangeError);
  assert.throws(() => wilsonInterval(-1, 2), RangeError);
});

test('Newcombe hybrid score interval matches Newcombe (1998) Table II, method 10', () => {
  // [x1, n1, x2, n2, lower, upper] for p1 − p2; our function takes (A, B) and returns B − A.
  const published: Array<[number, number, number, number, number, number]> = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];
  for (const [x1, n1, x2, n2, lower, upper] of published) {
    const result = newcombeDifference({ successes: x2, n: n2 }, { successes: x1, n: n1 });
    close(result.difference, x1 / n1 - x2 / n2, 10);
    close(result.lower, lower);
    close(result.upper, upper);
  }
});

test('Newcombe: direction is B − A', () => {
  const worse = newcombeDifference({ successes: 0, n: 100 }, { successes: 30, n: 100 });
  assert.ok(worse.difference > 0 && worse.lower > 0, 'B much higher: interval above 0');
  const better = newcombeDifference({ successes: 30, n: 100 }, { successes: 0, n: 100 });
  assert.ok(better.upper < 0);
});

test('Rogan–Gladen point estimate: se 0.9, sp 0.95, apparent 0.2 → 0.15/0.85 = 0.17647', () => {
  close(roganGladenEstimate(0.2, 0.9, 0.95), 0.17647, 5);
  // A perfect judge changes nothing.
  close(roganGladenEstimate(0.3, 1, 1), 0.3, 12);
  // se + sp ≤ 1: no information, no estimate.
  assert.equal(roganGladenEstimate(0.3, 0.5, 0.5), null);
  assert.equal(roganGladenEstimate(0.3, 0.4, 0.5), null);
});

test('corrected rate: estimate, clamping and the degenerate case are flagged', () => {
  const corrected = correctedRate({ successes: 20, n: 100 }, { successes: 90, n: 100 }, { successes: 95, n: 100 });
  close(corrected.estimate, 0.17647, 5);
  assert.equal(corrected.status, 'ok');
  assert.ok(corrected.lower! < corrected.estimate! && corrected.estimate! < corrected.upper!);
  // Apparent 0/50 with sp 0.9: raw estimate negative → clamped to 0, flagged.
  const clamped = correctedRate({ successes: 0, n: 50 }, { successes: 90, n: 100 }, { successes: 90, n: 100 });
  assert.equal(clamped.estimate, 0);
  assert.equal(clamped.status, 'clamped');
  assert.equal(clamped.lower, 0);
  // Apparent 50/50 with se 0.9: raw estimate above 1 → clamped to 1.
  const high = correctedRate({ successes: 50, n: 50 }, { successes: 90, n: 100 }, { successes: 90, n: 100 });
  assert.equal(high.estimate, 1);
  assert.equal(high.upper, 1);
  const degenerate = correctedRate({ successes: 5, n: 50 }, { successes: 50, n: 100 }, { successes: 40, n: 100 });
  assert.equal(degenerate.status, 'degenerate');
  assert.equal(degenerate.estimate, null);
  assert.equal(degenerate.lower, null);
});

test('corrected rate: epiR example (23/150 positive, se 0.96, sp 0.89) gives the published 5.1 %', () => {
  // epiR::epi.prev documentation example: true prevalence 5.1 per 100.
  const result = correctedRate({ successes: 23, n: 150 }, { successes: 96, n: 100 }, { successes: 89, n: 100 });
  close(result.estimate, 0.051, 3);
});

test('corrected rate: a smaller calibration set widens the interval (its uncertainty is carried)', () => {
  const apparent = { successes: 30, n: 200 };
  const large = correctedRate(apparent, { successes: 900, n: 1000 }, { successes: 950, n: 1000 });
  const small = correctedRate(apparent, { successes: 18, n: 20 }, { successes: 19, n: 20 });
  close(large.estimate, small.estimate!, 10);
  assert.ok(small.upper! - small.lower! > large.upper! - large.lower! + 0.02);
});

test('corrected rate: a small Youden J is not identifiable, and says so', () => {
  // se 0.55, sp 0.60: J = 0.15 < 0.2. Dividing by it would turn judge noise into a "measurement".
  const weak = correctedRate({ successes: 30, n: 100 }, { successes: 55, n: 100 }, { successes: 60, n: 100 });
  assert.equal(weak.status, 'not-identifiable');
  assert.equal(weak.estimate, null);
  assert.equal(weak.lower, null);
  assert.equal(weak.upper, null);
  close(weak.youden, 0.15, 10);
  assert.match(weak.note!, /not identifiable: sensitivity \+ specificity − 1 = 0\.15 is below 0\.20/);
  assert.equal(MIN_IDENTIFIABLE_YOUDEN, 0.2);
  // Just above the threshold the correction is made.
  assert.equal(correctedRate({ successes: 50, n: 100 }, { successes: 61, n: 100 }, { successes: 60, n: 100 }).status, 'ok');
});

test('corrected rate: a calibration that does not fit the responses is flagged, never "0.0 % [0.0 %–0.0 %]"', () => {
  // A judge with a 20 % false-positive rate on its calibration set reports 1.7 % here: the correction is far below 0.
  const misfit = correctedRate({ successes: 5, n: 300 }, { successes: 90, n: 100 }, { successes: 80, n: 100 });
  assert.equal(misfit.status, 'clamped');
  assert.ok(misfit.rawEstimate! < 0);
  assert.equal(misfit.lower, null, 'the whole interval fell below 0: no interval rather than a zero-width one');
  assert.equal(misfit.upper, null);
  assert.match(misfit.note!, /clamped at 0 %, not a measurement: the judge-reported rate 1\.7 % is below the judge's false-positive rate on the calibration set \(1 − specificity = 20\.0 %\)/);
});

test('corrected rate: no interval is ever zero-width (grid over apparent rates and calibrations)', () => {
  let checked = 0;
  for (const n of [1, 10, 50, 400]) {
    for (let successes = 0; successes <= n; successes += Math.max(1, Math.floor(n / 10))) {
      for (const [se, sp, size] of [[0.99, 0.99, 500], [0.9, 0.8, 100], [0.7, 0.6, 30], [0.6, 0.62, 2000], [1, 1, 20], [0.5, 0.9, 40]]) {
        const result = correctedRate({ successes, n }, { successes: Math.round(se * size), n: size }, { successes: Math.round(sp * size), n: size });
        checked += 1;
        assert.equal(result.lower === null, result.upper === null);
        if (result.lower !== null) assert.ok(result.upper! - result.lower >= 1e-4, `${successes}/${n} se ${se} sp ${sp}: [${result.lower}, ${result.upper}]`);
        if (result.status !== 'ok') assert.ok(result.note !== null && result.note.length > 0);
        if (result.status === 'not-identifiable' || result.status === 'degenerate') assert.equal(result.estimate, null);
      }
    }
  }
  assert.ok(checked > 150);
});

test('erfc and the Newcombe p-value: p < 0.05 exactly when the 95 % Newcombe interval excludes 0', () => {
  close(erfc(0), 1, 7);
  close(erfc(1), 0.157299207, 7);
  close(erfc(-1), 1.842700793, 7);
  close(erfc(1.959963984540054 / Math.SQRT2), 0.05, 7);
  // Newcombe (1998) Table II: 56/70 vs 48/80 has the interval [0.0524, 0.3339], which excludes 0: p below 0.05.
  const p = newcombePValue({ successes: 48, n: 80 }, { successes: 56, n: 70 })!;
  assert.ok(p < 0.05 && p > 0.001, String(p));
  // At the p-value's own z, the interval touches 0.
  const z = Math.SQRT2 * inverseErfc(p);
  close(newcombeDifference({ successes: 48, n: 80 }, { successes: 56, n: 70 }, z).lower, 0, 6);
  // 5/56 vs 0/29 has [-0.0381, 0.1926]: not significant, and symmetric in direction.
  const q = newcombePValue({ successes: 0, n: 29 }, { successes: 5, n: 56 })!;
  assert.ok(q > 0.05 && q < 0.5, String(q));
  close(newcombePValue({ successes: 5, n: 56 }, { successes: 0, n: 29 })!, q, 9);
  assert.equal(newcombePValue({ successes: 3, n: 10 }, { successes: 3, n: 10 }), 1);
  assert.equal(newcombePValue({ successes: 0, n: 0 }, { successes: 3, n: 10 }), null);
  // Agreement with the interval on a grid.
  for (const [x1, n1, x2, n2] of [[0, 20, 5, 20], [1, 30, 7, 30], [10, 100, 20, 100], [3, 10, 4, 10], [0, 10, 3, 10], [50, 60, 40, 60]]) {
    const interval = newcombeDifference({ successes: x1, n: n1 }, { successes: x2, n: n2 });
    const excludesZero = interval.lower > 0 || interval.upper < 0;
    assert.equal(newcombePValue({ successes: x1, n: n1 }, { successes: x2, n: n2 })! < 0.05, excludesZero, `${x1}/${n1} vs ${x2}/${n2}`);
  }
});

/** erfc⁻¹ by bisection, for the test only. */
function inverseErfc(value: number): number {
  let low = 0;
  let high = 40;
  for (let index = 0; index < 200; index += 1) {
    const middle = (low + high) / 2;
    if (erfc(middle) > value) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

test('Benjamini–Hochberg adjusted p-values: the step-up rule, nulls skipped', () => {
  // Benjamini & Hochberg (1995) worked example, 15 p-values: at q = 0.05 the first 4 are rejected.
  const published = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];
  const adjusted = benjaminiHochberg(published);
  assert.equal(adjusted.filter((value) => value! <= 0.05).length, 4);
  close(adjusted[0], 0.0015, 6);
  close(adjusted[3], 0.035625, 6);
  for (let index = 1; index < adjusted.length; index += 1) assert.ok(adjusted[index]! >= adjusted[index - 1]!, 'monotone in p');
  assert.deepEqual(benjaminiHochberg([0.01, 0.04, 0.03, null]), [0.03, 0.04, 0.04, null]);
  assert.deepEqual(benjaminiHochberg([]), []);
  assert.deepEqual(benjaminiHochberg([0.9, 0.95]), [0.95, 0.95]);
});
