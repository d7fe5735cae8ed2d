/**
 * Runs an Admin GraphQL document against Shopify's published schema over a store model, with
 * graphql-js's own executor: what a query selects is what comes back, shaped by the schema, so a
 * test can only pass with a document Shopify would answer the same way.
 *
 * The store model is plain data in the schema's field names (see `StoreModel`). How a value is
 * turned into the field's answer:
 * - a scalar or enum is returned as stored (enums must be the schema's names: "SUCCESS", not "success");
 * - a connection field (`lineItems`, `events`, `orders`, …) takes an array, or `{ nodes: [...] }`,
 *   and answers a page of it: `first`/`after`/`last`/`before`, `sortKey` (`UPDATED_AT` sorts by
 *   `updatedAt`, `ID` by the GID's number), `reverse`, and `query` in Shopify's search syntax
 *   (`updated_at:>='2026-11-01T00:00:00Z' status:open`, terms joined by spaces or AND);
 * - a list field with `first` (`Order.fulfillments(first:)`) is truncated to it;
 * - a missing object whose type is one of its owners' (`FulfillmentOrder.order`, `Fulfillment.order`)
 *   is that owner, so a nested object needs no copy of its parent;
 * - a missing `xCount` (`Order.fulfillmentsCount`) counts the stored `x`;
 * - a stored function is called with the field's arguments, for anything else computed.
 * An object's type, where the schema asks (`nodes(ids:)`, interfaces, unions), is its `__typename`
 * or else the type in its GID (`gid://shopify/FulfillmentOrder/1` → FulfillmentOrder).
 *
 * Root fields: `ROOT_FIELDS` below answers `shop`, `orders`, `ordersCount`, `node`, `nodes`,
 * `customerByIdentifier` and `webPixel`; `MUTATION_FIELDS` runs the two consent mutations over
 * `customers` and the web pixel mutations (./web-pixels.ts).
 * Any other root field that takes `id:` (`order`, `fulfillmentOrder`, `productVariant`, …) finds
 * the object with that GID anywhere in the model, and any other root connection
 * (`fulfillmentOrders`, `productVariants`, …) lists every object of its node type in the model.
 * To add one with other rules, add an entry to `ROOT_FIELDS`: `(store, args, lookup) => value`,
 * returning model data; connections and truncation are applied to what it returns.
 * Mutations: `MUTATION_FIELDS` (the consent updates, webPixelCreate, webPixelUpdate), each changing the model.
 */
import {
  executeSync,
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isLeafType,
  isListType,
  isObjectType,
  isAbstractType,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";
import { WEB_PIXEL_MUTATIONS, webPixelOf, type WebPixelModel } from "./web-pixels";

/** Plain data in the Admin schema's field names. */
export type ModelObject = { [field: string]: unknown };

/**
 * One store as the Admin API would show it. Orders nest what belongs to them (line items,
 * fulfillments with their events, fulfillment orders, order events) in the schema's field names;
 * product variants (with `image`) stand on their own. Objects found by GID need an `id`.
 */
export interface StoreModel {
  shop: object;
  orders: object[];
  productVariants?: object[];
  /** More top-level objects, found by GID and by root connections of their type. */
  others?: object[];
  /**
   * The store's customers (`Customer` in the schema's field names, with `defaultEmailAddress` and
   * `defaultPhoneNumber`): found by customerByIdentifier, changed by the consent mutations.
   */
  customers?: object[];
  /** The app's web pixel on this store (webPixelCreate / webPixelUpdate, ./web-pixels.ts). */
  webPixel?: WebPixelModel | null;
  /** The scopes the app's token holds; unset: every scope. A field that needs another is refused (ACCESS_DENIED). */
  grantedScopes?: string[];
}

type Lookup = (id: unknown) => ModelObject | null;
type RootResolver = (store: StoreModel, args: Record<string, unknown>, lookup: Lookup) => unknown;

export const ROOT_FIELDS: Record<string, RootResolver> = {
  shop: (store) => store.shop,
  orders: (store) => store.orders,
  ordersCount: (store, args) => {
    const matching = searchFilter(store.orders as ModelObject[], args.query);
    const limit = typeof args.limit === "number" ? args.limit : 10_000;
    return { count: Math.min(matching.length, limit), precision: matching.length > limit ? "AT_LEAST" : "EXACT" };
  },
  node: (_store, args, lookup) => lookup(args.id),
  nodes: (_store, args, lookup) => (args.ids as unknown[]).map(lookup),
  // Exact match on one identifier, as Shopify's: an email (any case) or a phone number.
  customerByIdentifier: (store, args) => {
    const { emailAddress, phoneNumber, id } = args.identifier as Record<string, unknown>;
    const customers = (store.customers ?? []) as CustomerModel[];
    return (
      customers.find(
        (customer) =>
          (typeof emailAddress === "string" &&
            customer.defaultEmailAddress?.emailAddress?.toLowerCase() === emailAddress.toLowerCase()) ||
          (typeof phoneNumber === "string" && customer.defaultPhoneNumber?.phoneNumber === phoneNumber) ||
          (typeof id === "string" && customer.id === id),
      ) ?? null
    );
  },
  webPixel: (store, args) => webPixelOf(store, args),
};

interface CustomerModel extends ModelObject {
  id: string;
  defaultEmailAddress?: { emailAddress?: string; marketingState?: string; marketingUpdatedAt?: string | null } | null;
  defaultPhoneNumber?: { phoneNumber?: string; marketingState?: string; marketingUpdatedAt?: string | null } | null;
}

// The states the consent mutations accept as input (the others are Shopify's to set).
const SETTABLE_STATES = ["SUBSCRIBED", "UNSUBSCRIBED", "PENDING"];

/** A consent mutation over the model: the customer's address on that channel takes the new state. */
function consentUpdate(channel: "defaultEmailAddress" | "defaultPhoneNumber", consentField: string, missing: string) {
  return (store: StoreModel, args: Record<string, unknown>) => {
    const input = args.input as { customerId: string } & Record<
      string,
      { marketingState?: string; consentUpdatedAt?: unknown }
    >;
    const customer = ((store.customers ?? []) as CustomerModel[]).find(
      (candidate) => candidate.id === input.customerId,
    );
    const error = (field: string[], message: string, code = "INVALID") => ({
      customer: null,
      userErrors: [{ field, message, code }],
    });
    if (!customer) return error(["input", "customerId"], "Customer not found");
    const address = customer[channel];
    if (!address) return error(["input", "customerId"], missing, "MISSING_ARGUMENT");
    const consent = input[consentField];
    if (!SETTABLE_STATES.includes(String(consent.marketingState)))
      return error(
        ["input", consentField, "marketingState"],
        "Marketing state is not included in the list",
        "INCLUSION",
      );
    address.marketingState = consent.marketingState;
    address.marketingUpdatedAt =
      typeof consent.consentUpdatedAt === "string" ? consent.consentUpdatedAt : new Date().toISOString();
    return { customer, userErrors: [] };
  };
}

/** The mutations the stand-in runs, each changing the store model and answering its payload. */
export const MUTATION_FIELDS: Record<string, (store: StoreModel, args: Record<string, unknown>) => unknown> = {
  ...WEB_PIXEL_MUTATIONS,
  customerEmailMarketingConsentUpdate: consentUpdate(
    "defaultEmailAddress",
    "emailMarketingConsent",
    "Customer must have an email address",
  ),
  customerSmsMarketingConsentUpdate: consentUpdate(
    "defaultPhoneNumber",
    "smsMarketingConsent",
    "Customer must have a phone number",
  ),
};

/** The GID's type: "gid://shopify/Order/1" → "Order". */
export const typeOfGid = (id: unknown) =>
  typeof id === "string" ? /^gid:\/\/shopify\/(\w+)\//.exec(id)?.[1] : undefined;
/** The GID's number, for sorting by ID as Shopify does. */
const numberOfGid = (id: unknown) => (typeof id === "string" ? Number(id.slice(id.lastIndexOf("/") + 1)) : NaN);

const ROOT = {};

interface Context {
  store: StoreModel;
  schema: GraphQLSchema;
  /** The model object that owns each nested object, for back-references. */
  owners: WeakMap<object, object>;
  byId?: Map<string, ModelObject>;
  /** Shopify's actual cost: what was returned, by the requested-cost rules. */
  actualCost: number;
}

export interface Execution {
  result: ExecutionResult;
  actualCost: number;
}

export function executeOnStore(
  schema: GraphQLSchema,
  store: StoreModel,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
): Execution {
  const context: Context = { store, schema, owners: new WeakMap(), actualCost: 0 };
  const result = executeSync({
    schema,
    document,
    rootValue: ROOT,
    contextValue: context,
    variableValues: variables,
    operationName,
    fieldResolver: resolveField,
    typeResolver: resolveType,
  });
  return { result, actualCost: context.actualCost };
}

/** A model object's type: its `__typename`, or the type in its GID. */
export const typeNameOf = (object: ModelObject): string | undefined =>
  (typeof object.__typename === "string" ? object.__typename : undefined) ?? typeOfGid(object.id);

const resolveType: GraphQLTypeResolver<unknown, Context> = (value) => typeNameOf(value as ModelObject);

/** Whether an object of type `name` may stand where `type` is expected. */
const fits = (schema: GraphQLSchema, name: string | undefined, type: GraphQLNamedType) =>
  name === type.name ||
  (isAbstractType(type) && schema.getPossibleTypes(type).some((possible) => possible.name === name));

const connectionTypes = new WeakMap<GraphQLNamedType, boolean>();
/** Asked for every field resolved, so remembered per type. */
function isConnection(type: GraphQLNamedType): boolean {
  let known = connectionTypes.get(type);
  if (known === undefined) {
    known = isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
    connectionTypes.set(type, known);
  }
  return known;
}

const resolveField: GraphQLFieldResolver<unknown, Context> = (source, args, context, info) => {
  const parent = info.parentType;
  const named = getNamedType(info.returnType);
  const owner = source as ModelObject;
  let value: unknown;

  if (parent === context.schema.getMutationType()) {
    const mutation = MUTATION_FIELDS[info.fieldName];
    if (!mutation)
      throw new GraphQLError(`The Admin API stand-in does not run ${info.fieldName}: add it to MUTATION_FIELDS`);
    value = mutation(context.store, args);
  } else if (parent === context.schema.getQueryType()) {
    value = rootValue(context, info.fieldName, args, named);
  } else if (isConnection(parent)) {
    // Our own connection object: its pages are already cut, and their owners recorded.
    value = owner[info.fieldName];
    if (info.fieldName === "nodes") context.actualCost += (value as unknown[]).length;
    return value;
  } else if (parent.name.endsWith("Edge") && info.fieldName === "node") {
    context.actualCost += 1;
    return owner.node;
  } else {
    value = owner[info.fieldName];
    if (typeof value === "function") value = (value as (a: unknown) => unknown).call(owner, args);
    if (value === undefined && named.name === "Count" && info.fieldName.endsWith("Count"))
      value = countOf(owner[info.fieldName.slice(0, -"Count".length)]);
    else if (value === undefined && isCompositeType(named) && !isListType(getNullableType(info.returnType)))
      value = ownerOfType(context, owner, named);
  }

  if (isConnection(named)) {
    context.actualCost += 2;
    return connectionPage(context, owner, value, args, info.parentType === context.schema.getQueryType());
  }
  if (isListType(getNullableType(info.returnType))) {
    if (value == null) return [];
    let list = value as unknown[];
    if (!Array.isArray(list)) list = (value as { nodes?: unknown[] }).nodes ?? [];
    if (typeof args.first === "number") list = list.slice(0, args.first);
    if (!isLeafType(named)) {
      const present = list.filter((item) => item != null) as object[];
      context.actualCost += present.length;
      present.forEach((item) => adopt(context, item, owner));
    }
    return list;
  }
  if (value != null && !isLeafType(named)) {
    context.actualCost += 1;
    adopt(context, value as object, owner);
  }
  return value;
};

function countOf(stored: unknown) {
  const list = Array.isArray(stored) ? stored : (stored as { nodes?: unknown[] } | undefined)?.nodes;
  return list ? { count: list.length, precision: "EXACT" } : undefined;
}

function rootValue(context: Context, field: string, args: Record<string, unknown>, named: GraphQLNamedType) {
  const lookup: Lookup = (id) => byId(context).get(String(id)) ?? null;
  const special = ROOT_FIELDS[field];
  if (special) return special(context.store, args, lookup);
  if ("id" in args && isCompositeType(named)) {
    const found = lookup(args.id);
    return found && fits(context.schema, typeNameOf(found), named) ? found : null;
  }
  if (isConnection(named)) {
    const nodeType = getNamedType((named as GraphQLObjectType).getFields().nodes.type);
    return [...byId(context).values()].filter((object) => typeNameOf(object) === nodeType.name);
  }
  throw new GraphQLError(
    `The Admin API stand-in has no data for Query.${field}: add it to ROOT_FIELDS in app/demo/doubles/shopify-admin/execute.ts`,
  );
}

/** Every object with a GID, and the owner of every nested object, walked once per request when first needed. */
function byId(context: Context): Map<string, ModelObject> {
  if (context.byId) return context.byId;
  const index = new Map<string, ModelObject>();
  const walk = (value: unknown, owner: object | undefined) => {
    if (Array.isArray(value)) return value.forEach((item) => walk(item, owner));
    if (!value || typeof value !== "object") return;
    const object = value as ModelObject;
    const isNodesWrapper = Array.isArray(object.nodes) && !("id" in object);
    if (!isNodesWrapper) {
      if (owner && !context.owners.has(object)) context.owners.set(object, owner);
      if (typeof object.id === "string" && typeOfGid(object.id)) index.set(object.id, object);
    }
    for (const child of Object.values(object)) walk(child, isNodesWrapper ? owner : object);
  };
  const { shop, orders, productVariants = [], others = [], customers = [] } = context.store;
  // The store's own customers last: theirs are the records an order's customer stands for.
  walk([shop, ...orders, ...productVariants, ...others, ...customers], undefined);
  context.byId = index;
  return index;
}

function adopt(context: Context, child: object, owner: object) {
  if (owner !== child && owner !== ROOT && !context.owners.has(child)) context.owners.set(child, owner);
}

/** The nearest owner of `object` that is of `type` (or, for an abstract type, any of its types). */
function ownerOfType(context: Context, object: object, type: GraphQLNamedType): unknown {
  if (!context.owners.has(object)) byId(context);
  for (let owner = context.owners.get(object); owner; owner = context.owners.get(owner)) {
    if (fits(context.schema, typeNameOf(owner as ModelObject), type)) return owner;
  }
  return undefined;
}

type SortKey = [number | string | null | undefined, number];

/** One page of a list, as Shopify's cursor pagination answers it. */
function connectionPage(
  context: Context,
  owner: ModelObject,
  value: unknown,
  args: Record<string, unknown>,
  isRoot: boolean,
) {
  const all = (Array.isArray(value) ? value : ((value as { nodes?: unknown[] } | null)?.nodes ?? [])) as ModelObject[];
  const sortField = sortFieldOf(args.sortKey, isRoot);
  const keyOf = (item: ModelObject, position: number): SortKey => {
    const number = numberOfGid(item.id);
    return [sortField ? sortValue(item, sortField) : position, Number.isNaN(number) ? position : number];
  };
  const direction = args.reverse === true ? -1 : 1;
  const compare = (a: SortKey, b: SortKey) => direction * (compareValues(a[0], b[0]) || a[1] - b[1]);
  const positions = new Map(all.map((item, position) => [item, position]));
  let keyed = searchFilter(all, args.query).map((item) => ({ item, key: keyOf(item, positions.get(item)!) }));
  if (sortField || isRoot) keyed.sort((a, b) => compare(a.key, b.key));
  const before = keyed.length;
  if (typeof args.after === "string") keyed = keyed.filter(({ key }) => compare(key, decodeCursor(args.after)) > 0);
  const skippedBefore = before - keyed.length;
  if (typeof args.before === "string") keyed = keyed.filter(({ key }) => compare(key, decodeCursor(args.before)) < 0);
  let page = keyed;
  if (typeof args.first === "number") page = page.slice(0, args.first);
  if (typeof args.last === "number") page = page.slice(Math.max(0, page.length - args.last));
  const edges = page.map(({ item, key }) => ({ cursor: encodeCursor(key), node: item }));
  page.forEach(({ item }) => adopt(context, item, owner));
  return {
    nodes: page.map(({ item }) => item),
    edges,
    pageInfo: {
      hasNextPage: page.length < keyed.length && page[page.length - 1] !== keyed[keyed.length - 1],
      hasPreviousPage: skippedBefore > 0 || (page.length > 0 && page[0] !== keyed[0]),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

const encodeCursor = (key: SortKey) => Buffer.from(JSON.stringify(key)).toString("base64url");
function decodeCursor(cursor: unknown): SortKey {
  try {
    const key = JSON.parse(Buffer.from(String(cursor), "base64url").toString()) as SortKey;
    if (Array.isArray(key) && key.length === 2) return key;
  } catch {
    // answered below
  }
  throw new GraphQLError("Invalid cursor", { extensions: { code: "BAD_REQUEST" } });
}

/** UPDATED_AT → updatedAt; ID sorts by the GID's number (root connections sort by it by default). */
function sortFieldOf(sortKey: unknown, isRoot: boolean): string | undefined {
  if (typeof sortKey !== "string" || sortKey === "RELEVANCE") return isRoot ? "id" : undefined;
  return sortKey === "ID" ? "id" : sortKey.toLowerCase().replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
}

function sortValue(item: ModelObject, field: string): number | string | undefined {
  const value = item[field];
  if (field === "id") return numberOfGid(value);
  if (typeof value === "string" && ISO_DATE.test(value)) return Date.parse(value);
  return typeof value === "number" || typeof value === "string" ? value : undefined;
}

/** Missing values (null once they have been through a cursor) sort last. */
function compareValues(a: number | string | null | undefined, b: number | string | null | undefined) {
  if (a === b || (a == null && b == null)) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  return a < b ? -1 : 1;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Shopify's search syntax, as far as Waypost's documents use it: `field:value`, `field:>value`
 * (also >=, <, <=), values quoted or not, terms joined by spaces or AND. Anything else (OR, NOT,
 * free text) is refused rather than guessed.
 */
export function searchFilter<T extends ModelObject>(items: T[], query: unknown): T[] {
  if (typeof query !== "string" || !query.trim()) return items;
  const terms = query.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
  const tests = terms
    .filter((term) => term !== "AND")
    .map((term) => {
      const match = /^([a-z_]+):(>=|<=|>|<)?(.+)$/.exec(term);
      if (!match || term === "OR" || term === "NOT")
        throw new GraphQLError(`The Admin API stand-in cannot search "${term}" in "${query}"`);
      const [, key, operator = "", raw] = match;
      const wanted = raw.replace(/^['"]|['"]$/g, "");
      const field = key.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
      return (item: T) => matches(item[field], operator, wanted, field);
    });
  return items.filter((item) => tests.every((test) => test(item)));
}

function matches(value: unknown, operator: string, wanted: string, field: string): boolean {
  if (value == null) return false;
  let have: number | string = String(value);
  let want: number | string = wanted;
  if (field === "id") [have, want] = [numberOfGid(value) || Number(value), Number(wanted)];
  else if (ISO_DATE.test(have) && !Number.isNaN(Date.parse(wanted)))
    [have, want] = [Date.parse(have), Date.parse(wanted)];
  else if (!operator) return have.toLowerCase() === wanted.toLowerCase();
  switch (operator) {
    case ">":
      return have > want;
    case ">=":
      return have >= want;
    case "<":
      return have < want;
    case "<=":
      return have <= want;
    default:
      return have === want;
  }
}
