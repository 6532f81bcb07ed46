// 数据接口 Data endpoints: named, saved GraphQL documents that tools which do not speak GraphQL
// (Excel Power Query, 帆软 FineReport, Grafana's JSON and CSV sources) fetch with a plain GET:
// /data/<name>.json and /data/<name>.csv (modules/data-endpoints/data-door.ts). Administrators
// register them; the document runs through the same engine as any GraphQL request.
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { maskName, PersonalData } from "../../core/access/personal-data";
import { Node, toGlobalId } from "../../core/graphql/relay";

export enum DataFormat {
  JSON = "JSON",
  CSV = "CSV",
}
registerEnumType(DataFormat, {
  name: "DataFormat",
  description: "数据格式 How a data endpoint answers.",
  valuesConfig: {
    JSON: { description: "数据（JSON）(/data/<name>.json): the GraphQL response itself, `data` and any `errors`." },
    CSV: { description: "表格（CSV）(/data/<name>.csv): the document's first list as rows, UTF-8 with a byte-order mark, RFC 4180 quoting (see README \"Data URLs\")." },
  },
});

/** A variable the document declares, as registration read it from the document. */
@ObjectType({ description: "数据接口参数 A variable of a data endpoint's document: a query-string parameter of its URL." })
export class DataEndpointVariable {
  @Field(() => String, { description: "参数名 The parameter's name in the URL (the variable's name without `$`), e.g. regionId." })
  name: string;

  @Field(() => String, { description: "类型 Its GraphQL type as the document declares it, e.g. `ID` or `Int!`." })
  type: string;

  @Field(() => String, { nullable: true, description: "默认值 Its default as a GraphQL literal (e.g. `100`, `BELOW_MINIMUM`); null when it has none." })
  defaultValue: string | null;

  @Field(() => Boolean, { description: "必填 true when the URL must give it (a non-null type without default)." })
  required: boolean;
}

export const DATA_ENDPOINT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

@ObjectType({ implements: Node, description: "数据接口 Data endpoint: a named, saved GraphQL query served as plain GET URLs for tools that do not speak GraphQL — /data/<name>.json and /data/<name>.csv, query-string parameters as its variables, signed in with an API key, under the same roles, masking and limits as GraphQL." })
@Entity("data_endpoint")
@Unique("UQ_data_endpoint_name", ["name"])
@Check("CHK_data_endpoint_formats", `"formats" <> '{}' AND "formats" <@ ARRAY['JSON', 'CSV']::text[]`)
export class DataEndpoint {
  @PrimaryGeneratedColumn({ type: "integer", primaryKeyConstraintName: "PK_data_endpoint" })
  id: number;

  @Field(() => ID, { name: "id", description: "全局标识 Global id." })
  get globalId(): string {
    return toGlobalId("DataEndpoint", this.id);
  }

  @Field(() => String, { description: "名称 The name in the URL: lower-case letters, digits and hyphens, e.g. stock-by-site (/data/stock-by-site.csv)." })
  @Column({ type: "text" })
  name: string;

  @Field(() => String, { description: "标题 What it answers, for people, e.g. 各储备点库存." })
  @Column({ type: "text" })
  title: string;

  @Field(() => String, { nullable: true, description: "说明 What the rows are and how to use the parameters." })
  @Column({ type: "text", nullable: true })
  description: string | null;

  @Field(() => String, { description: "查询文档 The GraphQL document: exactly one query operation (fragments allowed)." })
  @Column({ type: "text" })
  document: string;

  @Field(() => String, { nullable: true, description: "操作名 The query operation's name (metrics count the endpoint's requests under it); null when it has none." })
  @Column({ name: "operation_name", type: "text", nullable: true })
  operationName: string | null;

  @Field(() => [DataEndpointVariable], { description: "参数 The document's variables, in the order it declares them: the URL's query-string parameters." })
  @Column({ type: "jsonb" })
  variables: DataEndpointVariable[];

  @Field(() => [DataFormat], { description: "格式 The formats it is served in." })
  @Column({ type: "text", array: true })
  formats: DataFormat[];

  @Field(() => String, { description: "登记人 Who registered it (the account's or key's name; 系统预置 for those the service ships) — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "registered_by", type: "text" })
  registeredBy: string;

  @Field(() => String, { description: "修改人 Who changed it last — personal data: masked for roles that may not see it." })
  @PersonalData({ mask: maskName })
  @Column({ name: "updated_by", type: "text" })
  updatedBy: string;

  @Field(() => Date, { description: "登记时间 When it was registered." })
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { description: "修改时间 When it was changed last." })
  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
