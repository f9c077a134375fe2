declare const brand: unique symbol;

/**
 * Nominal typing for primitives: a `Brand<string, 'Uid'>` is not assignable from `string`.
 * Brands stack: `Brand<Uid, 'SopInstanceUid'>` is still a `Uid`.
 *
 * @remarks
 * The record form stacks where the common `T & { __brand: 'X' }` collapses to `never` when nested.
 */
export type Brand<T, Name extends string> = T & {
  readonly [brand]: Readonly<Record<Name, true>>;
};
