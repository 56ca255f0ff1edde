/**
 * Fleiss' kappa: agreement of a fixed number of raters per item on nominal categories, beyond chance.
 * `counts[i][j]` is how many raters put item i in category j; every row must sum to the same number of raters
 * (at least 2). Null when undefined: no items, or every rating in one category (chance agreement 1).
 *
 * Formula: Fleiss, "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5), 1971.
 *
 * @example
 * fleissKappa([[2, 0], [0, 2], [1, 1]]) // { kappa: 0.333…, items: 3, raters: 2 }
 */
export function fleissKappa(counts: ReadonlyArray<ReadonlyArray<number>>): { kappa: number | null; items: number; raters: number } {
  const items = counts.length;
  if (items === 0) return { kappa: null, items: 0, raters: 0 };
  const raters = counts[0].reduce((sum, count) => sum + count, 0);
  if (raters < 2) throw new RangeError(`Fleiss' kappa needs at least 2 raters per item, got ${raters}`);
  const categories = Math.max(...counts.map((row) => row.length));
  const totals = new Array<number>(categories).fill(0);
  let meanAgreement = 0;
  for (const [index, row] of counts.entries()) {
    const sum = row.reduce((total, count) => total + count, 0);
    if (sum !== raters) throw new RangeError(`item ${index} has ${sum} ratings, item 0 has ${raters}: Fleiss' kappa needs the same number per item`);
    let squares = 0;
    row.forEach((count, category) => {
      totals[category] += count;
      squares += count * count;
    });
    meanAgreement += (squares - raters) / (raters * (raters - 1));
  }
  meanAgreement /= items;
  const chance = totals.reduce((sum, total) => sum + (total / (items * raters)) ** 2, 0);
  if (chance >= 1) return { kappa: null, items, raters };
  return { kappa: (meanAgreement - chance) / (1 - chance), items, raters };
}

/**
 * Category counts per item from each item's ratings (the input Fleiss' kappa takes), with a fixed category order.
 *
 * @example
 * countsByCategory([['yes', 'no'], ['yes', 'yes']]) // { categories: ['no', 'yes'], counts: [[1, 1], [0, 2]] }
 */
export function countsByCategory(items: ReadonlyArray<ReadonlyArray<string>>): { categories: string[]; counts: number[][] } {
  const categories = [...new Set(items.flat())].sort();
  const index = new Map(categories.map((category, position) => [category, position]));
  const counts = items.map((ratings) => {
    const row = new Array<number>(categories.length).fill(0);
    for (const rating of ratings) row[index.get(rating)!] += 1;
    return row;
  });
  return { categories, counts };
}
