// Every migration in order. New ones are generated with `npm run migration:generate -- <Name>`,
// read and fixed by hand, then added here.
import { RegionTree1764345600000 } from "./1764345600000-RegionTree";
import { AccountsAndAudit1764350000000 } from "./1764350000000-AccountsAndAudit";
import { IdempotencyKeys1764360000000 } from "./1764360000000-IdempotencyKeys";
import { SupplyReserve1764400000000 } from "./1764400000000-SupplyReserve";
import { RescueForces1764500000000 } from "./1764500000000-RescueForces";
import { Incidents1764600000000 } from "./1764600000000-Incidents";
import { DispatchOrders1764700000000 } from "./1764700000000-DispatchOrders";
import { DocumentCounters1764800000000 } from "./1764800000000-DocumentCounters";
import { AccountTokenVersion1764810000000 } from "./1764810000000-AccountTokenVersion";
import { IdempotencyClaims1764820000000 } from "./1764820000000-IdempotencyClaims";
import { RosterIdNumberConflicts1764830000000 } from "./1764830000000-RosterIdNumberConflicts";
import { ShipmentsThatLand1764835000000 } from "./1764835000000-ShipmentsThatLand";
import { SupplyRequests1764840000000 } from "./1764840000000-SupplyRequests";
import { TravelTimes1764930000000 } from "./1764930000000-TravelTimes";
import { ListOrders1765100000000 } from "./1765100000000-ListOrders";
import { DataEndpoints1765200000000 } from "./1765200000000-DataEndpoints";
import { PinyinCollation1765700000000 } from "./1765700000000-PinyinCollation";
import { ForcesInTheField1765500000000 } from "./1765500000000-ForcesInTheField";
import { Shelters1765300000000 } from "./1765300000000-Shelters";
import { Transport1765400000000 } from "./1765400000000-Transport";
import { UniqueVehiclePlates1765570000000 } from "./1765570000000-UniqueVehiclePlates";

export const migrations = [
  RegionTree1764345600000,
  AccountsAndAudit1764350000000,
  IdempotencyKeys1764360000000,
  SupplyReserve1764400000000,
  RescueForces1764500000000,
  Incidents1764600000000,
  DispatchOrders1764700000000,
  DocumentCounters1764800000000,
  AccountTokenVersion1764810000000,
  IdempotencyClaims1764820000000,
  RosterIdNumberConflicts1764830000000,
  ShipmentsThatLand1764835000000,
  SupplyRequests1764840000000,
  TravelTimes1764930000000,
  ListOrders1765100000000,
  DataEndpoints1765200000000,
  Shelters1765300000000,
  Transport1765400000000,
  ForcesInTheField1765500000000,
  UniqueVehiclePlates1765570000000,
  PinyinCollation1765700000000,
];
