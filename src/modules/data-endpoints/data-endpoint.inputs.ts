import { Field, ID, InputType } from "type-graphql";
import { MutationInput } from "../../core/mutation/mutation-input";
import { DataFormat } from "./data-endpoint.entity";

@InputType({ description: "登记数据接口 A new data endpoint (ADMIN): a saved query served as /data/<name>.json and /data/<name>.csv." })
export class RegisterDataEndpointInput extends MutationInput {
  @Field(() => String, { description: "名称 The name in the URL: 2–64 lower-case letters, digits and hyphens, beginning and ending with a letter or digit, e.g. stock-by-site. Cannot be changed later (URLs in people's workbooks keep working)." })
  name: string;

  @Field(() => String, { description: "标题 What it answers, for people, e.g. 各储备点库存." })
  title: string;

  @Field(() => String, { nullable: true, description: "说明 What the rows are and how to use the parameters." })
  description?: string | null;

  @Field(() => String, { description: "查询文档 The GraphQL document: exactly one query operation (fragments allowed), valid against the schema, within the query limits; its variables become the URL's parameters." })
  document: string;

  @Field(() => [DataFormat], { nullable: true, description: "格式 The formats to serve (default both, JSON and CSV). CSV needs a document whose rows and columns follow the CSV rule (README \"Data URLs\")." })
  formats?: DataFormat[] | null;
}

@InputType({ description: "修改数据接口 Changes to a data endpoint (ADMIN). Omitted fields stay as they are; the name stays." })
export class UpdateDataEndpointInput extends MutationInput {
  @Field(() => ID, { description: "数据接口 The endpoint's global id." })
  dataEndpointId: string;

  @Field(() => String, { nullable: true, description: "新标题 New title." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "新说明 New description; an empty string clears it." })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "新查询文档 New document, checked as at registration." })
  document?: string | null;

  @Field(() => [DataFormat], { nullable: true, description: "新格式 New formats." })
  formats?: DataFormat[] | null;
}

@InputType({ description: "删除数据接口 Remove a data endpoint (ADMIN): its URLs answer 404 from then on." })
export class RemoveDataEndpointInput extends MutationInput {
  @Field(() => ID, { description: "数据接口 The endpoint's global id." })
  dataEndpointId: string;
}
