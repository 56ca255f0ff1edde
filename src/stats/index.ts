export * from './wilson-interval.js';
export * from './newcombe-difference.js';
export * from './rogan-gladen.js';
export * from './grade.js';
export * from './multiple-testing.js';
