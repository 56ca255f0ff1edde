/**
 * Weighted, L2-regularised logistic regression over sparse rows, fitted by L-BFGS (Nocedal 1980, two-loop recursion,
 * backtracking line search). Deterministic: no random numbers, so the same rows give the same weights.
 */

/** Sparse rows in compressed form: row r holds `columns[rowStart[r]..rowStart[r+1])` with `values`. */
export interface SparseRows {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float32Array;
  /** 0 or 1 per row. */
  labels: Uint8Array;
  /** Importance of each row in the loss. */
  weights: Float64Array;
  /** Number of columns. */
  dimension: number;
}

/** Hyper-parameters of the fit. */
export interface LogisticSettings {
  /** L2 penalty λ on the weights (not the bias): loss = Σ wᵢ·logloss / Σ wᵢ + λ/2·‖w‖². */
  l2: number;
  /** Per-column multiplier of λ (e.g. less penalty on a few dense features); default 1 for all. */
  penaltyFactor?: Float64Array;
  /** L-BFGS iterations at most. */
  iterations: number;
  /** Stop when the relative decrease of the loss over one iteration falls below this. */
  tolerance?: number;
  /** Remembered correction pairs. */
  memory?: number;
}

/** A fitted model: weights per column and a bias. */
export interface LogisticFit {
  weights: Float64Array;
  bias: number;
  /** Final value of the regularised loss. */
  loss: number;
  iterations: number;
}

/** Rows one by one, as they are built: each is a list of (column, value) with duplicates allowed. */
export class SparseRowsBuilder {
  private readonly starts: number[] = [0];
  private columns = new Int32Array(1 << 16);
  private values = new Float32Array(1 << 16);
  private size = 0;
  private readonly labels: number[] = [];
  private readonly weights: number[] = [];
  private readonly sums: Float64Array;
  private readonly stamps: Int32Array;
  private stamp = 0;

  constructor(readonly dimension: number) {
    this.sums = new Float64Array(dimension);
    this.stamps = new Int32Array(dimension);
  }

  get rows(): number {
    return this.labels.length;
  }

  /** Add a row; equal columns are summed, columns are stored in increasing order. Negative columns are skipped. */
  add(columns: ArrayLike<number>, values: ArrayLike<number>, length: number, label: 0 | 1, weight = 1): void {
    this.stamp += 1;
    const touched: number[] = [];
    for (let index = 0; index < length; index += 1) {
      const column = columns[index];
      if (column < 0) continue;
      if (column >= this.dimension) throw new RangeError(`column ${column} outside 0..${this.dimension - 1}`);
      if (this.stamps[column] !== this.stamp) {
        this.stamps[column] = this.stamp;
        this.sums[column] = 0;
        touched.push(column);
      }
      this.sums[column] += values[index];
    }
    const sorted = Int32Array.from(touched).sort();
    if (this.size + sorted.length > this.columns.length) {
      const capacity = Math.max(this.columns.length * 2, this.size + sorted.length);
      const columns = new Int32Array(capacity);
      columns.set(this.columns.subarray(0, this.size));
      const values = new Float32Array(capacity);
      values.set(this.values.subarray(0, this.size));
      this.columns = columns;
      this.values = values;
    }
    for (const column of sorted) {
      this.columns[this.size] = column;
      this.values[this.size] = this.sums[column];
      this.size += 1;
    }
    this.starts.push(this.size);
    this.labels.push(label);
    this.weights.push(weight);
  }

  build(): SparseRows {
    return {
      rowStart: Int32Array.from(this.starts),
      columns: this.columns.slice(0, this.size),
      values: this.values.slice(0, this.size),
      labels: Uint8Array.from(this.labels),
      weights: Float64Array.from(this.weights),
      dimension: this.dimension,
    };
  }
}

/** log(1 + e^x) without overflow. */
function softplus(value: number): number {
  return value > 0 ? value + Math.log1p(Math.exp(-value)) : Math.log1p(Math.exp(value));
}

const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

/** Linear score of one row. */
export function rowScore(rows: SparseRows, row: number, weights: Float64Array, bias: number): number {
  let sum = bias;
  for (let index = rows.rowStart[row]; index < rows.rowStart[row + 1]; index += 1) sum += weights[rows.columns[index]] * rows.values[index];
  return sum;
}

/** Loss and gradient at (weights, bias); the gradient's last entry is the bias's. */
function lossAndGradient(rows: SparseRows, parameters: Float64Array, settings: LogisticSettings, gradient: Float64Array, totalWeight: number): number {
  const dimension = rows.dimension;
  const bias = parameters[dimension];
  gradient.fill(0);
  let loss = 0;
  const count = rows.labels.length;
  for (let row = 0; row < count; row += 1) {
    const score = rowScore(rows, row, parameters, bias);
    const label = rows.labels[row];
    const rowWeight = rows.weights[row] / totalWeight;
    loss += rowWeight * (label === 1 ? softplus(-score) : softplus(score));
    const residual = rowWeight * (sigmoid(score) - label);
    for (let index = rows.rowStart[row]; index < rows.rowStart[row + 1]; index += 1) gradient[rows.columns[index]] += residual * rows.values[index];
    gradient[dimension] += residual;
  }
  const factor = settings.penaltyFactor;
  for (let column = 0; column < dimension; column += 1) {
    const weight = parameters[column];
    if (weight === 0) continue;
    const penalty = settings.l2 * (factor ? factor[column] : 1);
    loss += 0.5 * penalty * weight * weight;
    gradient[column] += penalty * weight;
  }
  return loss;
}

function dot(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += left[index] * right[index];
  return sum;
}

/**
 * Fit the model. Columns that never occur keep weight 0 (their gradient is only the penalty's, which is 0 at 0).
 *
 * @example
 * const fit = fitLogistic(builder.build(), { l2: 1e-4, iterations: 200 });
 */
export function fitLogistic(rows: SparseRows, settings: LogisticSettings): LogisticFit {
  const size = rows.dimension + 1;
  const memory = settings.memory ?? 10;
  const tolerance = settings.tolerance ?? 1e-7;
  let totalWeight = 0;
  for (const weight of rows.weights) totalWeight += weight;
  if (totalWeight <= 0) throw new RangeError('no training rows');
  let parameters = new Float64Array(size);
  let gradient = new Float64Array(size);
  let loss = lossAndGradient(rows, parameters, settings, gradient, totalWeight);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const rhos: number[] = [];
  const alphas = new Float64Array(memory);
  const direction = new Float64Array(size);
  let candidate = new Float64Array(size);
  let candidateGradient = new Float64Array(size);
  let iteration = 0;
  for (; iteration < settings.iterations; iteration += 1) {
    // Two-loop recursion: direction = −H·gradient.
    for (let index = 0; index < size; index += 1) direction[index] = -gradient[index];
    for (let pair = steps.length - 1; pair >= 0; pair -= 1) {
      alphas[pair] = rhos[pair] * dot(steps[pair], direction);
      const change = changes[pair];
      for (let index = 0; index < size; index += 1) direction[index] -= alphas[pair] * change[index];
    }
    if (steps.length > 0) {
      const last = steps.length - 1;
      const scale = dot(steps[last], changes[last]) / dot(changes[last], changes[last]);
      for (let index = 0; index < size; index += 1) direction[index] *= scale;
    }
    for (let pair = 0; pair < steps.length; pair += 1) {
      const beta = rhos[pair] * dot(changes[pair], direction);
      const step = steps[pair];
      for (let index = 0; index < size; index += 1) direction[index] += (alphas[pair] - beta) * step[index];
    }
    let slope = dot(direction, gradient);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      steps.length = 0;
      changes.length = 0;
      rhos.length = 0;
      for (let index = 0; index < size; index += 1) direction[index] = -gradient[index];
      slope = dot(direction, gradient);
    }
    let stepLength = iteration === 0 && steps.length === 0 ? 1 / Math.max(1, Math.sqrt(dot(gradient, gradient))) : 1;
    let candidateLoss = Infinity;
    for (let trial = 0; trial < 40; trial += 1) {
      for (let index = 0; index < size; index += 1) candidate[index] = parameters[index] + stepLength * direction[index];
      candidateLoss = lossAndGradient(rows, candidate, settings, candidateGradient, totalWeight);
      if (candidateLoss <= loss + 1e-4 * stepLength * slope) break;
      stepLength *= 0.5;
    }
    if (!(candidateLoss < loss)) break;
    // Reuse the oldest pair's arrays once the memory is full.
    const recycled = steps.length === memory;
    const step = recycled ? steps[0] : new Float64Array(size);
    const change = recycled ? changes[0] : new Float64Array(size);
    for (let index = 0; index < size; index += 1) {
      step[index] = candidate[index] - parameters[index];
      change[index] = candidateGradient[index] - gradient[index];
    }
    const curvature = dot(step, change);
    if (recycled) {
      steps.shift();
      changes.shift();
      rhos.shift();
    }
    if (curvature > 1e-12) {
      steps.push(step);
      changes.push(change);
      rhos.push(1 / curvature);
    }
    const decrease = (loss - candidateLoss) / Math.max(Math.abs(loss), 1e-12);
    [parameters, candidate] = [candidate, parameters];
    [gradient, candidateGradient] = [candidateGradient, gradient];
    loss = candidateLoss;
    if (decrease < tolerance) {
      iteration += 1;
      break;
    }
  }
  return { weights: parameters.subarray(0, rows.dimension), bias: parameters[rows.dimension], loss, iterations: iteration };
}
