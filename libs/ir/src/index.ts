export * from './items';
export * from './request';
export * from './response';
export * from './stream';
export * from './ids';
export * from './warnings';
export * from './errors';
export * from './tool-names';
