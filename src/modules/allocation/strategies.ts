// The allocation strategies a deployment can choose with ALLOCATION_STRATEGY. A new rule is a
// class implementing AllocationStrategy, added here.
import { message } from "../../core/i18n/i18n";
import type { AllocationConfig } from "../../config";
import { ConfigError } from "../../config";
import type { AllocationStrategy } from "./allocation.strategy";
import { TravelTimeStrategy } from "./travel-time.strategy";

const STRATEGIES: Record<string, (config: AllocationConfig) => AllocationStrategy> = {
  "travel-time": (config) => new TravelTimeStrategy({ villageRoomRadiusKm: config.villageRoomRadiusKm }),
};

export function createAllocationStrategy(config: AllocationConfig): AllocationStrategy {
  const create = STRATEGIES[config.strategy];
  if (!create) throw new ConfigError("ALLOCATION_STRATEGY", message("config.unknownStrategy", { strategy: config.strategy, known: Object.keys(STRATEGIES).join(", ") }));
  return create(config);
}
