// The schema documents itself: every type, field, argument, input field and enum value has a
// description. A new field without one fails here.
import { createPubSub } from "@graphql-yoga/subscription";
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, type GraphQLSchema } from "graphql";
import { GraphQLDateTimeISO, GraphQLJSON, GraphQLLocalDate } from "graphql-scalars";
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

// Descriptions lead with the Chinese term (or a Chinese sentence), then the English:
// "储备点 Storage site: …", "创建时间。When the account was created." Staff read the Chinese,
// dashboard developers the English, and GraphiQL's docs search (see src/explorer) finds 库存 or 调拨.
// The rule: after leading white space, the first character is a Han character — for every
// object, input, enum, interface and union type, every field (root Query/Mutation/Subscription
// fields included), every argument, input field and enum value.
// Exceptions, none of which we write:
// - introspection types (__Type …) and GraphQL's own scalars (String, Int, Float, Boolean, ID);
// - the scalars graphql-scalars describes (DateTimeISO, LocalDate, JSON) — checked below to
//   still be that library's, so a scalar of our own under one of these names gets no pass;
// - the root types Query, Mutation and Subscription carry no description at all (type-graphql
//   gives them none); their fields are checked.
const STANDARD_SCALARS = ["String", "Int", "Float", "Boolean", "ID"];
const LIBRARY_SCALARS = { DateTimeISO: GraphQLDateTimeISO, LocalDate: GraphQLLocalDate, JSON: GraphQLJSON } as const;
const ROOT_TYPES = ["Query", "Mutation", "Subscription"];
const leadsWithHan = (text: string | null | undefined) => /^\s*\p{Script=Han}/u.test(text ?? "");

it("leads every description with Chinese, then the English", () => {
  const english: string[] = [];
  const check = (where: string, text: string | null | undefined) => {
    if (!leadsWithHan(text)) english.push(`${where}: ${String(text).slice(0, 60)}`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || STANDARD_SCALARS.includes(type.name)) continue;
    if (type.name in LIBRARY_SCALARS) {
      expect(type.description).toBe(LIBRARY_SCALARS[type.name as keyof typeof LIBRARY_SCALARS].description);
      continue;
    }
    if (!ROOT_TYPES.includes(type.name)) check(type.name, type.description);
    else expect(type.description ?? null).toBeNull();
    if (isScalarType(type) || isUnionType(type)) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    }
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    if (isEnumType(type)) for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
  }
  expect(english).toEqual([]);
});

it("names the district plan's terms first where staff look for them", () => {
  const lead = (text: string | null | undefined) => /^\s*([\p{Script=Han}（）、]+)/u.exec(text ?? "")?.[1];
  expect(lead(schema.getType("StockLevel")?.description)).toBe("库存");
  expect(lead(schema.getType("DispatchOrder")?.description)).toMatch(/^调拨单/);
  expect(lead(schema.getType("TransferStockInput")?.description)).toBe("调拨");
  expect(lead(schema.getType("RescueTeam")?.description)).toMatch(/救援队/);
  expect(lead(schema.getType("StorageSite")?.description)).toBe("储备点");
  expect(lead(schema.getType("StockMovement")?.description)).toBe("台账");
  expect(lead(schema.getType("StockBatch")?.description)).toMatch(/批次/);
  expect(lead(schema.getType("SupplyRequest")?.description)).toBe("需求申报");
  expect(lead(schema.getType("StorageSiteEdge")?.description)).toBe("储备点分页条目");
  // The English stays after the Chinese.
  expect(schema.getType("StorageSite")?.description).toMatch(/^储备点 A store of the three-tier reserve/);
});

it("matches the committed schema.graphql", () => {
  const committed = fs.readFileSync(path.join(__dirname, "..", "schema.graphql"), "utf8");
  expect(printSortedSchema(schema)).toBe(committed);
});
