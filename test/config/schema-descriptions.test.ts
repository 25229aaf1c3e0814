// The JSON Schema editors show for hephaestus.config.json: every key carries a description.
import { describe, expect, it } from 'vitest';
import { buildConfigJsonSchema } from '../../agent/config/write-json-schema.js';

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

/** Every property path of the schema, with whether it is described. */
function propertyPaths(node: SchemaNode, prefix: string, into: Array<{ path: string; described: boolean }>): typeof into {
  for (const variant of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) propertyPaths(variant, prefix, into);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    into.push({ path, described: typeof child.description === 'string' && child.description.trim() !== '' });
    propertyPaths(child, path, into);
  }
  if (typeof node.additionalProperties === 'object') propertyPaths(node.additionalProperties, `${prefix}.*`, into);
  if (node.items) propertyPaths(node.items, `${prefix}[]`, into);
  return into;
}

describe('config JSON Schema', () => {
  it('describes every key', () => {
    const paths = propertyPaths(buildConfigJsonSchema() as SchemaNode, '', []);
    expect(paths.length).toBeGreaterThan(100);
    expect(paths.filter((entry) => !entry.described).map((entry) => entry.path)).toEqual([]);
  });
});
