import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absoluteGrade, referenceGrade, worstGrade } from './grade.js';

const absolute = { excellent: 0.01, veryGood: 0.03, good: 0.1, fair: 0.25 };
const reference = { excellent: 0.001, veryGood: 0.5, fair: 1.5, poor: 3 };

test('absolute grades at and just past every ceiling', () => {
  const epsilon = 1e-9;
  assert.equal(absoluteGrade(0, absolute), 'Excellent');
  assert.equal(absoluteGrade(0.01, absolute), 'Excellent');
  assert.equal(absoluteGrade(0.01 + epsilon, absolute), 'Very Good');
  assert.equal(absoluteGrade(0.03, absolute), 'Very Good');
  assert.equal(absoluteGrade(0.03 + epsilon, absolute), 'Good');
  assert.equal(absoluteGrade(0.1, absolute), 'Good');
  assert.equal(absoluteGrade(0.1 + epsilon, absolute), 'Fair');
  assert.equal(absoluteGrade(0.25, absolute), 'Fair');
  assert.equal(absoluteGrade(0.25 + epsilon, absolute), 'Poor');
  assert.equal(absoluteGrade(1, absolute), 'Poor');
});

test('reference-relative grades (AILuminate) at every boundary, reference 0.1', () => {
  const epsilon = 1e-9;
  assert.equal(referenceGrade(0.001, 0.1, reference), 'Excellent');
  assert.equal(referenceGrade(0.001 + epsilon, 0.1, reference), 'Very Good');
  assert.equal(referenceGrade(0.05, 0.1, reference), 'Very Good'); // ratio 0.5
  assert.equal(referenceGrade(0.05 + epsilon, 0.1, reference), 'Good');
  assert.equal(referenceGrade(0.15 - epsilon, 0.1, reference), 'Good');
  assert.equal(referenceGrade(0.15, 0.1, reference), 'Fair'); // ratio 1.5
  assert.equal(referenceGrade(0.3, 0.1, reference), 'Fair'); // ratio 3
  assert.equal(referenceGrade(0.3 + epsilon, 0.1, reference), 'Poor');
});

test('reference of 0 is floored at the Excellent ceiling', () => {
  assert.equal(referenceGrade(0.0012, 0, reference), 'Good'); // ratio 1.2 against the 0.001 floor
  assert.equal(referenceGrade(0.002, 0, reference), 'Fair'); // ratio 2
  assert.equal(referenceGrade(0.004, 0, reference), 'Poor'); // ratio 4
});

test('worst grade', () => {
  assert.equal(worstGrade(['Excellent', 'Good', 'Very Good']), 'Good');
  assert.equal(worstGrade(['Excellent', 'Poor']), 'Poor');
  assert.equal(worstGrade([]), undefined);
});
