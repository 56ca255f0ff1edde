export * from './wilson-interval.js';
export * from './newcombe-difference.js';
export * from './rogan-gladen.js';
export * from './grade.js';
export * from './chi-square.js';
export * from './fisher-freeman-halton.js';
export * from './holm-adjust.js';
