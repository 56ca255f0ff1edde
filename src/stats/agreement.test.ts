import { test } from 'node:test';
import assert from 'node:assert/strict';
import { krippendorffAlphaNominal } from './krippendorff-alpha.js';
import { countsByCategory, fleissKappa } from './fleiss-kappa.js';

const close = (actual: number | null, expected: number, digits = 3): void => {
  assert.ok(actual !== null, 'defined');
  assert.equal(Number(actual.toFixed(digits)), expected, `${actual} ≈ ${expected}`);
};

test("Krippendorff's alpha (nominal): the 4-coder, 12-unit example with missing data from Krippendorff (2011) is 0.743", () => {
  // Rows are coders A–D, columns units 1–12; null is a missing value (Krippendorff 2011, section C, nominal α = 0.743).
  const coders = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ];
  const units = coders[0].map((_, unit) => coders.map((row) => row[unit]).filter((value): value is number => value !== null));
  const result = krippendorffAlphaNominal(units);
  close(result.alpha, 0.743);
  assert.equal(result.units, 11, 'unit 12 has one value and is not pairable');
  assert.equal(result.values, 40);
});

test("Krippendorff's alpha: hand-computed cases, perfect agreement, and undefined when there is no variation", () => {
  // Three units, two coders: (a,a) (b,b) (a,b). n = 6, o_aa = 2, o_bb = 2, o_ab = o_ba = 1; n_a = n_b = 3.
  // α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k = 1 − 5·2 / 18 = 0.444…
  close(krippendorffAlphaNominal([['a', 'a'], ['b', 'b'], ['a', 'b']]).alpha, 0.444);
  assert.equal(krippendorffAlphaNominal([['a', 'a'], ['b', 'b']]).alpha, 1);
  assert.equal(krippendorffAlphaNominal([['a', 'a'], ['a', 'a']]).alpha, null);
  assert.equal(krippendorffAlphaNominal([['a'], ['b']]).alpha, null, 'no pairable unit');
  // Systematic disagreement is below zero.
  assert.ok((krippendorffAlphaNominal([['a', 'b'], ['b', 'a']]).alpha ?? 0) < 0);
});

test("Fleiss' kappa: the 10-subject, 14-rater example (Wikipedia, after Fleiss 1971) is 0.210", () => {
  const counts = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  const result = fleissKappa(counts);
  close(result.kappa, 0.21);
  assert.equal(result.items, 10);
  assert.equal(result.raters, 14);
});

test("Fleiss' kappa: hand-computed case, undefined without variation, and unequal raters refused", () => {
  // Items (2,0) (0,2) (1,1): P_i = 1, 1, 0 → P̄ = 2/3; p = (1/2, 1/2) → P̄e = 1/2; κ = (2/3 − 1/2)/(1/2) = 1/3.
  close(fleissKappa([[2, 0], [0, 2], [1, 1]]).kappa, 0.333);
  assert.equal(fleissKappa([[3, 0], [3, 0]]).kappa, null);
  assert.equal(fleissKappa([]).kappa, null);
  assert.throws(() => fleissKappa([[2, 0], [1, 2]]), /same number/);
  const { categories, counts } = countsByCategory([['yes', 'no'], ['yes', 'yes']]);
  assert.deepEqual(categories, ['no', 'yes']);
  assert.deepEqual(counts, [[1, 1], [0, 2]]);
  // With two raters and complete data, α and κ are close (α corrects for small samples): check on the same data.
  const units = [['yes', 'no'], ['yes', 'yes'], ['no', 'no'], ['yes', 'yes']];
  const kappa = fleissKappa(countsByCategory(units).counts).kappa!;
  const alpha = krippendorffAlphaNominal(units).alpha!;
  assert.ok(alpha > kappa && alpha - kappa < 0.1, `α ${alpha} slightly above κ ${kappa}`);
});
