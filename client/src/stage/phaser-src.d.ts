/** Modules of Phaser's sources (CommonJS), imported by phaser-lite.ts through the `phaser-src` alias. */
declare module 'phaser-src/*' {
  const value: unknown;
  export default value;
}
