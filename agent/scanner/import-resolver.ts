// The contract between the import graph and the resolvers of each language: a resolver maps a
// specifier written in a file to the repository file it names, or undefined.
export type ResolveImport = (fromFile: string, specifier: string) => string | undefined;
