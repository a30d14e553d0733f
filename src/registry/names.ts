// Name types for editors: every documented spelling of a registry's rows as a string-literal union,
// derived from the rows themselves so a new row is a new completion; any other string still type-checks
// and is refused at run time with the list of valid names.

/** 'binaryCrossentropy' → 'binary_crossentropy': Keras's spelling of a tfjs camelCase name. */
export type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;

/** Rows' canonical names and aliases, each in camelCase and snake_case (row by row, so a row without aliases loses nothing). */
export type Spellings<R extends { readonly name: string; readonly aliases?: readonly string[] }> = R extends unknown
  ? R['name'] | SnakeCase<R['name']> | (R['aliases'] extends readonly (infer A extends string)[] ? A | SnakeCase<A> : never)
  : never;

/** The documented names, completed by editors, or any other string (checked when it is used). */
export type NameOf<R extends { readonly name: string; readonly aliases?: readonly string[] }> = Spellings<R> | (string & {});
