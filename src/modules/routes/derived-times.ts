// Travel times the service can work out by itself (估算), for the links staff have not measured
// yet and for the short legs inside a township (a village room or a partner to its township's
// centre, the centre to the destination). Pure: no database.
//
// Road: straight-line distance × 1.4 at 40 km/h.
// - 1.4: the detour factor (circuity) of road networks is about 1.2 in flat country and rises
//   to 1.4 and beyond in hills; Kaizhou's roads wind through mountains around 汉丰湖, so the
//   upper value. A survey of a few real drives replaces it link by link (SURVEYED).
// - 40 km/h: the design speed of a third-class highway (三级公路, JTG B01-2014: 40 or 30 km/h),
//   which is what most county and township roads between Kaizhou's townships are.
// Water: straight-line distance × 1.2 at 20 km/h, plus 15 minutes for loading at the pier.
// - A boat follows the lake or river, so less detour than a road; 20 km/h is a loaded assault
//   boat (冲锋舟) or ferry in flood water with debris, well below what one does empty; the
//   15 minutes are the trans-shipment from truck to boat, which a road trip does not have.
// The numbers are a starting point, and every row made from them says DERIVED.
import { TravelMode } from "./routes.enums";

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export const ROAD_DETOUR_FACTOR = 1.4;
export const ROAD_SPEED_KMH = 40;
export const WATER_DETOUR_FACTOR = 1.2;
export const WATER_SPEED_KMH = 20;
export const BOAT_LOADING_MINUTES = 15;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Minutes for a straight-line distance by road or water, as above; at least 1 for a link. */
export function derivedMinutes(km: number, mode: TravelMode): number {
  const minutes =
    mode === TravelMode.ROAD ? (km * ROAD_DETOUR_FACTOR * 60) / ROAD_SPEED_KMH : BOAT_LOADING_MINUTES + (km * WATER_DETOUR_FACTOR * 60) / WATER_SPEED_KMH;
  return Math.max(1, Math.round(minutes));
}

/** Minutes of a short leg on local roads (inside a township); 0 for a place at the same spot. */
export function localRoadMinutes(a: GeoPoint, b: GeoPoint): number {
  return Math.round((distanceKm(a, b) * ROAD_DETOUR_FACTOR * 60) / ROAD_SPEED_KMH);
}

/**
 * Which pairs of places get a derived road link: those with no third place inside the circle
 * whose diameter joins them (the Gabriel graph). Roads run between neighbouring towns, not
 * across a third one, and a route from one end of the district to the other passes through the
 * townships between (so cutting one off by road matters to the routes through it). The graph
 * always connects every place. Points are projected flat around their mean latitude, which is
 * exact enough over a district. Pairs are [smaller id, larger id], sorted.
 */
export function neighbouringPairs(places: ReadonlyArray<GeoPoint & { id: number }>): Array<[number, number]> {
  if (places.length < 2) return [];
  const rad = Math.PI / 180;
  const meanLatitude = places.reduce((sum, p) => sum + p.latitude, 0) / places.length;
  const xy = places.map((p) => ({ id: p.id, x: p.longitude * rad * 6371 * Math.cos(meanLatitude * rad), y: p.latitude * rad * 6371 }));
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < xy.length; i++) {
    for (let j = i + 1; j < xy.length; j++) {
      const middle = { x: (xy[i].x + xy[j].x) / 2, y: (xy[i].y + xy[j].y) / 2 };
      const radius = Math.hypot(xy[i].x - xy[j].x, xy[i].y - xy[j].y) / 2;
      const blocked = xy.some((p, k) => k !== i && k !== j && Math.hypot(p.x - middle.x, p.y - middle.y) < radius);
      if (!blocked) pairs.push(xy[i].id < xy[j].id ? [xy[i].id, xy[j].id] : [xy[j].id, xy[i].id]);
    }
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
