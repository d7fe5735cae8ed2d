import { describe, expect, it } from "vitest";
import { OpenApiContract, withoutNullable } from "./openapi-contract";

const json = "application/json";
const documentWith = (openapi: string, schema: unknown, components: Record<string, unknown> = {}) => ({
  openapi,
  components: { schemas: components },
  paths: {
    "/items/{id}": { post: { requestBody: { required: true, content: { [json]: { schema } } } } },
    "/items/merge": { post: { operationId: "merge" } },
  },
});

describe("OpenAPI request bodies", () => {
  it("routes a literal path before a template that also matches it", () => {
    const contract = new OpenApiContract(documentWith("3.0.3", { type: "object" }));
    expect(contract.operationOf("POST", "/items/merge")?.definition.operationId).toBe("merge");
    expect(contract.operationOf("POST", "/items/a%20b")).toMatchObject({
      pathTemplate: "/items/{id}",
      pathParameters: { id: "a b" },
    });
    expect(contract.operationOf("GET", "/items/1")).toBeUndefined();
    expect(contract.operationOf("POST", "/items/1/extra")).toBeUndefined();
  });

  it("reads OpenAPI 3.0 `nullable`, beside a type, an enum and a $ref", () => {
    const contract = new OpenApiContract(
      documentWith(
        "3.0.3",
        {
          type: "object",
          properties: {
            name: { type: "string", nullable: true },
            kind: { type: "string", enum: ["a"], nullable: true },
            place: { $ref: "#/components/schemas/Place", nullable: true },
          },
        },
        { Place: { type: "object", required: ["city"], properties: { city: { type: "string" } } } },
      ),
    );
    const operation = contract.operationOf("POST", "/items/1")!;
    expect(contract.bodyProblems(operation, { name: null, kind: null, place: null })).toEqual([]);
    expect(contract.bodyProblems(operation, { name: 1, kind: "b", place: {} })).toEqual([
      { pointer: "/name", detail: "/name must be string,null" },
      { pointer: "/kind", detail: '/kind must be equal to one of the allowed values: "a", null' },
      { pointer: "/place/city", detail: "/place must have required property 'city'" },
      { pointer: "/place", detail: "/place must be null" },
      { pointer: "/place", detail: "/place must match a schema in anyOf" },
    ]);
  });

  it("reads OpenAPI 3.1 schemas as JSON Schema 2020-12", () => {
    const contract = new OpenApiContract(
      documentWith("3.1.0", {
        type: "object",
        properties: { name: { type: ["string", "null"] }, at: { type: "string", format: "date-time" } },
      }),
    );
    const operation = contract.operationOf("POST", "/items/1")!;
    expect(contract.bodyProblems(operation, { name: null, at: "2026-12-01T10:00:00Z" })).toEqual([]);
    expect(contract.bodyProblems(operation, { at: "yesterday" })).toEqual([
      { pointer: "/at", detail: '/at must match format "date-time"' },
    ]);
    expect(contract.bodyProblems(operation, undefined)).toEqual([
      { pointer: "", detail: "A request body is required." },
    ]);
  });

  it("keeps a property that happens to be called nullable", () => {
    expect(withoutNullable({ properties: { nullable: { type: "boolean" } } })).toEqual({
      properties: { nullable: { type: "boolean" } },
    });
  });
});
