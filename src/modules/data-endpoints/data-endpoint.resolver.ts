import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Info, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload, UserError } from "../../core/graphql/errors";
import { PageArgs, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { DATA_ENDPOINT_ORDER, type DataEndpointOrderField } from "./data-endpoints.orders";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { DataEndpoint, DataFormat } from "./data-endpoint.entity";
import { RegisterDataEndpointInput, RemoveDataEndpointInput, UpdateDataEndpointInput } from "./data-endpoint.inputs";
import { DataEndpointConnection } from "./data-endpoint.service";

@ObjectType({ description: "数据接口登记结果 Result of `registerDataEndpoint`, `updateDataEndpoint` and `removeDataEndpoint`." })
class DataEndpointPayload {
  @Field(() => DataEndpoint, { nullable: true, description: "数据接口 The endpoint as saved (as it was, for a removal)." })
  dataEndpoint?: DataEndpoint;

  @Field(() => [UserError], { description: "输入错误 What was wrong with the input (a document that does not parse, validate, or keep to the limits and the CSV rule is `input.document`'s INVALID_DOCUMENT); nothing was saved when not empty." })
  errors: UserError[];
}

@Resolver(() => DataEndpoint)
export class DataEndpointResolver {
  // Every signed-in role may see which data URLs exist and what they take: the documents hold
  // nothing the schema does not show, and a dashboard's owner looks up the URL to use.
  @Authorized()
  @Query(() => DataEndpointConnection, { description: "数据接口 Data endpoints: saved queries served as GET /data/<name>.json and /data/<name>.csv for tools that do not speak GraphQL (Power Query, FineReport, Grafana), ordered by name." })
  dataEndpoints(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [DATA_ENDPOINT_ORDER.Input], { nullable: true, description: DATA_ENDPOINT_ORDER.argument }) orderBy?: OrderTerm<DataEndpointOrderField>[] | null,
  ): Promise<Connection<DataEndpoint>> {
    return ctx.services.dataEndpoints.list(page, orderBy);
  }

  @Authorized()
  @Query(() => DataEndpoint, { nullable: true, description: "数据接口 One data endpoint by its name (the URL's); null if there is none." })
  dataEndpoint(@Ctx() ctx: AppContext, @Arg("name", () => String, { description: "名称 The name, e.g. stock-by-site." }) name: string): Promise<DataEndpoint | null> {
    return ctx.services.dataEndpoints.byName(name);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DataEndpointPayload, { description: "登记数据接口 Register a data endpoint (ADMIN): the document is parsed, validated against the schema, held to exactly one query and to the query limits, and (for CSV) to the CSV rule." })
  registerDataEndpoint(
    @Ctx() ctx: AppContext,
    @Unit() unit: UnitOfWork,
    @Info() info: GraphQLResolveInfo,
    @Arg("input", () => RegisterDataEndpointInput, { description: "登记内容 Name, title, document and formats." }) input: RegisterDataEndpointInput,
  ): Promise<DataEndpointPayload> {
    return mutationPayload(() => ctx.services.dataEndpoints.register(unit, info.schema, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DataEndpointPayload, { description: "修改数据接口 Change a data endpoint's title, description, document or formats (ADMIN); a new document is checked as at registration." })
  updateDataEndpoint(
    @Ctx() ctx: AppContext,
    @Unit() unit: UnitOfWork,
    @Info() info: GraphQLResolveInfo,
    @Arg("input", () => UpdateDataEndpointInput, { description: "修改内容 The changes." }) input: UpdateDataEndpointInput,
  ): Promise<DataEndpointPayload> {
    return mutationPayload(() => ctx.services.dataEndpoints.update(unit, info.schema, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DataEndpointPayload, { description: "删除数据接口 Remove a data endpoint (ADMIN); its URLs answer 404 from then on." })
  removeDataEndpoint(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RemoveDataEndpointInput, { description: "要删除的数据接口 The endpoint to remove." }) input: RemoveDataEndpointInput): Promise<DataEndpointPayload> {
    return mutationPayload(() => ctx.services.dataEndpoints.remove(unit, input));
  }

  @Authorized()
  @FieldResolver(() => [String], { description: "地址 The endpoint's URLs, relative to the service, one per format: /data/<name>.json, /data/<name>.csv." })
  urls(@Root() endpoint: DataEndpoint): string[] {
    return endpoint.formats.map((format) => `/data/${endpoint.name}.${format === DataFormat.CSV ? "csv" : "json"}`);
  }
}
