// The types staff know by code, as the filters by code (core/graphql/code-filters.ts) name them:
// in one file that imports nothing of the modules, so every module's filter inputs can use them
// without import cycles between the modules' input files.
import { codedType } from "../core/graphql/code-filters";

export const REGION = codedType("Region", "区域", "KZ-S01");
export const STORAGE_SITE = codedType("StorageSite", "储备点", "KZ-S01-P");
export const SUPPLY_ITEM = codedType("SupplyItem", "物资", "1010101");
export const RESCUE_TEAM = codedType("RescueTeam", "救援队", "KZ-TT-S01");
export const INCIDENT = codedType("Incident", "突发事件", "KZ-2026-0001");
export const DISPATCH_ORDER = codedType("DispatchOrder", "调拨单", "KZ-DO-2026-000001");
export const SUPPLY_REQUEST = codedType("SupplyRequest", "物资申请", "KZ-RQ-2026-00001");
export const ROUTE_NODE = codedType("RouteNode", "通行地点", "KZ-S01");
export const SHELTER = codedType("Shelter", "避难场所", "KZ-S01-SH01");
export const TRANSPORT_RESOURCE = codedType("TransportResource", "运力", "KZ-V-001");
