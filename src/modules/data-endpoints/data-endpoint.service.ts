// Registering, changing and removing data endpoints (ADMIN), and finding them for the data door.
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { LimitsConfig } from "../../config";
import { ConnectionType, paginate, parseGlobalId, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { DATA_ENDPOINT_ORDER, type DataEndpointOrderField } from "./data-endpoints.orders";
import { InputErrors, userError } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { checkDocument } from "./document-check";
import { DATA_ENDPOINT_NAME, DataEndpoint, DataFormat } from "./data-endpoint.entity";
import type { RegisterDataEndpointInput, RemoveDataEndpointInput, UpdateDataEndpointInput } from "./data-endpoint.inputs";

export const DataEndpointConnection = ConnectionType(DataEndpoint, "DataEndpoint", "数据接口分页。A page of data endpoints.");

const ALL_FORMATS = [DataFormat.JSON, DataFormat.CSV];

export class DataEndpointService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: LimitsConfig,
  ) {}

  list(page: PageArgs, orderBy?: OrderTerm<DataEndpointOrderField>[] | null) {
    const query = this.dataSource.getRepository(DataEndpoint).createQueryBuilder("data_endpoint");
    return paginate(query, DATA_ENDPOINT_ORDER.sorting.resolve(orderBy), page, DataEndpointConnection);
  }

  byId(id: number): Promise<DataEndpoint | null> {
    return this.dataSource.getRepository(DataEndpoint).findOneBy({ id });
  }

  /** The endpoint a URL names: one indexed read a request, so that every instance serves what was saved last. */
  byName(name: string): Promise<DataEndpoint | null> {
    return DATA_ENDPOINT_NAME.test(name) ? this.dataSource.getRepository(DataEndpoint).findOneBy({ name }) : Promise.resolve(null);
  }

  /** The formats asked for, each once, in their order; both when none are given. */
  private formats(check: InputErrors, formats: readonly DataFormat[] | null | undefined, field: string): DataFormat[] {
    if (formats == null) return ALL_FORMATS;
    const unique = ALL_FORMATS.filter((format) => formats.includes(format));
    if (!unique.length) check.add(field, "REQUIRED", "dataEndpoints.formatRequired");
    return unique;
  }

  /** The document checked against the schema and the limits; its problems added to `check`. */
  private document(check: InputErrors, schema: GraphQLSchema, text: string, formats: DataFormat[], field: string) {
    if (!text.trim()) {
      check.add(field, "REQUIRED", "dataEndpoints.documentEmpty");
      return null;
    }
    const checked = checkDocument(schema, text, formats, this.limits);
    for (const problem of checked.problems ?? []) check.add(field, "INVALID_DOCUMENT", problem.key, problem.params);
    return checked.ok ?? null;
  }

  async register(unit: UnitOfWork, schema: GraphQLSchema, input: RegisterDataEndpointInput): Promise<{ dataEndpoint: DataEndpoint }> {
    const check = new InputErrors();
    const name = input.name.trim();
    if (!DATA_ENDPOINT_NAME.test(name)) check.add("input.name", "INVALID_FORMAT", "dataEndpoints.nameFormat");
    const title = check.text(input.title, "input.title", 100);
    const description = check.optionalText(input.description, "input.description", 2000) ?? null;
    const formats = this.formats(check, input.formats, "input.formats");
    const checked = this.document(check, schema, input.document, formats, "input.document");
    check.throwIfAny();
    const { actor } = unit;
    return unit.transaction(this.dataSource, async ({ manager }) => {
      if (await manager.existsBy(DataEndpoint, { name })) userError("input.name", "DUPLICATE", "dataEndpoints.nameTaken", { name });
      const dataEndpoint = await manager.save(
        manager.create(DataEndpoint, {
          name,
          title,
          description,
          document: input.document,
          operationName: checked!.operation.name?.value ?? null,
          variables: checked!.variables,
          formats,
          registeredBy: actor.name,
          updatedBy: actor.name,
        }),
      );
      return { dataEndpoint };
    });
  }

  async update(unit: UnitOfWork, schema: GraphQLSchema, input: UpdateDataEndpointInput): Promise<{ dataEndpoint: DataEndpoint }> {
    const id = parseGlobalId(input.dataEndpointId, "DataEndpoint", "input.dataEndpointId");
    const { actor } = unit;
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const endpoint = await manager.findOne(DataEndpoint, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!endpoint) userError("input.dataEndpointId", "NOT_FOUND", "dataEndpoints.noSuchEndpoint");
      const check = new InputErrors();
      if (input.title != null) endpoint.title = check.text(input.title, "input.title", 100);
      if (input.description != null) endpoint.description = check.optionalText(input.description, "input.description", 2000) ?? null;
      if (input.formats != null) endpoint.formats = this.formats(check, input.formats, "input.formats");
      const text = input.document ?? endpoint.document;
      // A new document, or new formats, are checked as at registration (CSV asks more of a document).
      if (input.document != null || input.formats != null) {
        const checked = this.document(check, schema, text, endpoint.formats, input.document != null ? "input.document" : "input.formats");
        if (checked) {
          endpoint.document = text;
          endpoint.operationName = checked.operation.name?.value ?? null;
          endpoint.variables = checked.variables;
        }
      }
      check.throwIfAny();
      endpoint.updatedBy = actor.name;
      return { dataEndpoint: await manager.save(endpoint) };
    });
  }

  async remove(unit: UnitOfWork, input: RemoveDataEndpointInput): Promise<{ dataEndpoint: DataEndpoint }> {
    const id = parseGlobalId(input.dataEndpointId, "DataEndpoint", "input.dataEndpointId");
    return unit.transaction(this.dataSource, async ({ manager }) => {
      const endpoint = await manager.findOne(DataEndpoint, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!endpoint) userError("input.dataEndpointId", "NOT_FOUND", "dataEndpoints.noSuchEndpoint");
      await manager.delete(DataEndpoint, { id });
      return { dataEndpoint: Object.assign(endpoint, { id }) };
    });
  }
}
