export * from './wilson-interval.js';
export * from './newcombe-difference.js';
export * from './rogan-gladen.js';
export * from './grade.js';
export * from './krippendorff-alpha.js';
export * from './fleiss-kappa.js';
