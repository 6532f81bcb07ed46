// 排序 How the administrator's list of data endpoints sorts (`orderBy`).
import { defineOrder, pinyin, SortDirection } from "../../core/graphql/relay";
import type { DataEndpoint } from "./data-endpoint.entity";

export enum DataEndpointOrderField {
  NAME = "NAME",
  TITLE = "TITLE",
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
}

export const DATA_ENDPOINT_ORDER = defineOrder<DataEndpoint, DataEndpointOrderField>({
  name: "DataEndpoint",
  fields: DataEndpointOrderField,
  description: "数据接口排序字段。What data endpoints sort by.",
  keys: {
    NAME: { sql: "data_endpoint.name", describe: "名称 The name in the URL." },
    TITLE: { sql: pinyin("data_endpoint.title"), describe: "标题 The Chinese title, in Hanyu Pinyin order (按拼音)." },
    CREATED_AT: { sql: "data_endpoint.created_at", describe: "登记时间 When it was registered." },
    UPDATED_AT: { sql: "data_endpoint.updated_at", describe: "修改时间 When it was last changed." },
  },
  tiebreak: { sql: "data_endpoint.id" },
  defaultOrder: { terms: [{ field: "NAME", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by name" },
});
