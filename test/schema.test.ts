// The schema documents itself: every type, field, argument, input field and enum value has a
// description. A new field without one fails here.
import { createPubSub } from "@graphql-yoga/subscription";
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";
import fs from "node:fs";
import path from "node:path";
import { createSchema, printSortedSchema } from "../src/schema";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema(Object.assign(createPubSub(), { close: async () => undefined }));
});

it("describes every type, field, argument and enum value", () => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
    if (!type.description && !["Query", "Mutation", "Subscription"].includes(type.name)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  expect(missing).toEqual([]);
});

it("matches the committed schema.graphql", () => {
  const committed = fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8");
  expect(printSortedSchema(schema)).toBe(committed);
});
