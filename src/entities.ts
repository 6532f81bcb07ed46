// Every TypeORM entity, listed explicitly (no globs: the same list works under swc, jest and tsc).
import { Region } from "./modules/regions/region.entity";

export const entities = [Region];
