/**
 * A document's requested cost on the Admin GraphQL API, by Shopify's published rules, computed
 * before sending so a document over the single-query limit is caught in a test, not on a store.
 * Pure: the schema comes in (see shopify-admin-schema.server.ts), nothing is read or cached.
 *
 * Sources: R = shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits ("Cost calculation",
 * "Single query limit"); B = shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity.
 * Live Shopify has been measured charging less than this for large pages (see README.md), so
 * this is the documented upper bound: a document within it is within the limit.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const MAX_SINGLE_QUERY_COST = 1000; // R: "A single query may not exceed a cost of 1,000 points"
const OBJECT_COST = 1; // R: Object 1 (scalars and enums 0)
const CONNECTION_COST = 2; // B: "Connections: two points plus the number of returned objects"
const MUTATION_COST = 10; // R: Mutation 10

/** One field's share, shaped like Shopify's X-GraphQL-Cost-Include-Fields entries (per parent object). */
export interface FieldCost {
  path: string[];
  definedCost: number;
  requestedTotalCost: number;
  requestedChildrenCost: number | null;
}

export type CostAnalysis =
  { ok: true; requestedQueryCost: number; fields: FieldCost[] } | { ok: false; errors: GraphQLError[] };

type Variables = Record<string, unknown>;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
}

/** The requested cost of one operation, with a breakdown per field. */
export function analyzeCost(
  schema: GraphQLSchema,
  source: string | DocumentNode,
  variables: Variables = {},
  operationName?: string,
): CostAnalysis {
  let document: DocumentNode;
  try {
    document = typeof source === "string" ? parse(source) : source;
  } catch (error) {
    if (error instanceof GraphQLError) return { ok: false, errors: [error] };
    throw error;
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation)
    return {
      ok: false,
      errors: [
        new GraphQLError(
          operationName
            ? `Unknown operation named "${operationName}".`
            : "An operationName is required when a document has several operations.",
        ),
      ],
    };

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return { ok: false, errors: [...coerced.errors] };
  const root =
    operation.operation === "mutation"
      ? schema.getMutationType()
      : operation.operation === "query"
        ? schema.getQueryType()
        : null;
  if (!root) return { ok: false, errors: [new GraphQLError(`The schema has no ${operation.operation} type.`)] };

  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const walk: Walk = { schema, fragments, variables: coerced.coerced };
  const fields: FieldCost[] = [];
  try {
    const cost = selectionCost(walk, root, [operation.selectionSet], [], fields);
    return { ok: true, requestedQueryCost: cost, fields };
  } catch (error) {
    if (error instanceof GraphQLError) return { ok: false, errors: [error] };
    throw error;
  }
}

/** The requested cost as a number; throws the first reason the document cannot be costed. */
export function requestedCost(
  schema: GraphQLSchema,
  source: string | DocumentNode,
  variables: Variables = {},
  operationName?: string,
): number {
  const analysis = analyzeCost(schema, source, variables, operationName);
  if (!analysis.ok) throw analysis.errors[0];
  return analysis.requestedQueryCost;
}

/** Shopify's refusal of a document over the limit, as its API words it (or null when it fits). */
export function maxCostExceeded(cost: number, maxCost = MAX_SINGLE_QUERY_COST) {
  if (cost <= maxCost) return null;
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
      "See https://shopify.dev/docs/api/usage/rate-limits for more information on how the\ncost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/docs/api/usage/bulk-operations/queries for usage details.\n",
    extensions: {
      code: "MAX_COST_EXCEEDED",
      cost,
      maxCost,
      documentation: "https://shopify.dev/api/usage/rate-limits",
    },
  };
}

/** Sum of the fields selected on one object type (fragments merged as execution merges them). */
function selectionCost(
  walk: Walk,
  type: GraphQLObjectType,
  selections: SelectionSetNode[],
  path: string[],
  out: FieldCost[],
): number {
  let total = 0;
  for (const [key, nodes] of collectFields(walk, type, selections)) {
    total += fieldCost(walk, type, nodes, [...path, key], out);
  }
  return total;
}

function fieldCost(
  walk: Walk,
  parent: GraphQLObjectType,
  nodes: FieldNode[],
  path: string[],
  out: FieldCost[],
): number {
  const name = nodes[0].name.value;
  if (name.startsWith("__")) return 0; // __typename and introspection are not priced
  const field = parent.getFields()[name];
  if (!field) throw new GraphQLError(`Field '${name}' doesn't exist on type '${parent.name}'`, { nodes });
  const selections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  const isMutation = parent === walk.schema.getMutationType();
  const named = getNamedType(field.type);

  let defined: number;
  let children: number | null;
  if (isLeafType(named)) {
    [defined, children] = [isMutation ? MUTATION_COST : 0, null];
  } else if (isConnection(named)) {
    const size = pageSize(walk, field, nodes[0], true);
    [defined, children] = [
      CONNECTION_COST,
      connectionChildrenCost(walk, named as GraphQLObjectType, selections, size, path, out),
    ];
  } else {
    // A list with a `first` argument returns up to that many objects; one without is priced as one.
    const count = isListType(getNullableType(field.type)) ? pageSize(walk, field, nodes[0], false) : 1;
    const perObject = objectChildrenCost(walk, named, selections, path, out);
    [defined, children] = [isMutation ? MUTATION_COST : count * OBJECT_COST, count * perObject];
  }
  const totalCost = defined + (children ?? 0);
  out.push({ path, definedCost: defined, requestedTotalCost: totalCost, requestedChildrenCost: children });
  return totalCost;
}

/**
 * One page's objects: each of `size` nodes (or edges) costs its object point plus its selection;
 * pageInfo and the other connection fields are counted once, pageInfo inside the 2 points.
 */
function connectionChildrenCost(
  walk: Walk,
  connection: GraphQLObjectType,
  selections: SelectionSetNode[],
  size: number,
  path: string[],
  out: FieldCost[],
): number {
  let perNode = 0;
  let once = 0;
  for (const [key, nodes] of collectFields(walk, connection, selections)) {
    const name = nodes[0].name.value;
    if (name === "pageInfo") continue;
    if (name === "edges") perNode += edgesCost(walk, connection, nodes, [...path, key], out);
    else if (name === "nodes") perNode += fieldCost(walk, connection, nodes, [...path, key], out);
    else once += fieldCost(walk, connection, nodes, [...path, key], out);
  }
  return size * perNode + once;
}

/** An edge only wraps its node: it costs what its node (and cursor, a scalar) cost. */
function edgesCost(
  walk: Walk,
  connection: GraphQLObjectType,
  edges: FieldNode[],
  path: string[],
  out: FieldCost[],
): number {
  const edgeType = getNamedType(connection.getFields().edges.type) as GraphQLObjectType;
  const selections = edges.flatMap((edge) => (edge.selectionSet ? [edge.selectionSet] : []));
  const cost = selectionCost(walk, edgeType, selections, path, out);
  out.push({ path, definedCost: 0, requestedTotalCost: cost, requestedChildrenCost: cost });
  return cost;
}

/** R: an object's own selection; an interface or union costs the most any of its types would. */
function objectChildrenCost(
  walk: Walk,
  type: GraphQLNamedType,
  selections: SelectionSetNode[],
  path: string[],
  out: FieldCost[],
): number {
  if (isObjectType(type)) return selectionCost(walk, type, selections, path, out);
  if (!isAbstractType(type)) return 0;
  let best = 0;
  let bestFields: FieldCost[] = [];
  for (const possible of walk.schema.getPossibleTypes(type)) {
    const fields: FieldCost[] = [];
    const cost = selectionCost(walk, possible, selections, path, fields);
    if (cost > best || bestFields.length === 0) [best, bestFields] = [cost, fields];
  }
  out.push(...bestFields);
  return best;
}

/** R: "Sized by first and last arguments" (the larger, if a document gives both). */
function pageSize(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, required: boolean): number {
  const args = getArgumentValues(field, node, walk.variables) as { first?: number | null; last?: number | null };
  const sizes = [args.first, args.last].filter((size): size is number => typeof size === "number");
  if (sizes.length) return Math.max(...sizes);
  if (required) throw new GraphQLError("you must provide one of first or last", { nodes: [node] });
  return 1;
}

const isConnection = (type: GraphQLNamedType) =>
  isObjectType(type) &&
  type.name.endsWith("Connection") &&
  "pageInfo" in type.getFields() &&
  ("nodes" in type.getFields() || "edges" in type.getFields());

/** Fields by response key on one concrete type, honouring fragments' type conditions and @skip/@include. */
function collectFields(
  walk: Walk,
  type: GraphQLObjectType,
  selectionSets: SelectionSetNode[],
  into = new Map<string, FieldNode[]>(),
  seen = new Set<string>(),
) {
  for (const selectionSet of selectionSets) {
    for (const selection of selectionSet.selections) {
      if (!included(walk, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (appliesTo(walk, selection.typeCondition?.name.value, type))
          collectFields(walk, type, [selection.selectionSet], into, seen);
      } else {
        const fragment = walk.fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value) || !appliesTo(walk, fragment.typeCondition.name.value, type))
          continue;
        seen.add(fragment.name.value);
        collectFields(walk, type, [fragment.selectionSet], into, seen);
      }
    }
  }
  return into;
}

function appliesTo(walk: Walk, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = walk.schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type);
}

function included(walk: Walk, node: { readonly directives?: readonly DirectiveNode[] }): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
}
