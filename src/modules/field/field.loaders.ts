import DataLoader from "dataloader";
import type { Services } from "../../services";
import type { TeamCallUp } from "./call-up.entity";
import type { MemberInsurance } from "./insurance.entity";
import type { DeploymentTask, FieldAttendance } from "./on-site.entity";
import type { SituationReport } from "./situation-report.entity";
import type { TeamMember } from "../teams/member.entity";

export function createFieldLoaders(services: Services) {
  const { callUps, onSite, situation } = services;
  return {
    callUpById: new DataLoader<number, TeamCallUp | null>(callUps.byIds),
    callUpByCode: new DataLoader<string, TeamCallUp | null>(callUps.byCodes),
    callUpsByIncident: new DataLoader<number, TeamCallUp[]>(callUps.byIncidents),
    membersByCallUp: new DataLoader<number, TeamMember[]>(callUps.membersByCallUps),
    insuranceById: new DataLoader<number, MemberInsurance | null>(onSite.insuranceByIds),
    insuranceByMember: new DataLoader<number, MemberInsurance[]>(onSite.insuranceByMembers),
    attendanceById: new DataLoader<number, FieldAttendance | null>(onSite.attendanceByIds),
    attendanceByDeployment: new DataLoader<number, FieldAttendance[]>(onSite.attendanceByDeployments),
    taskById: new DataLoader<number, DeploymentTask | null>(onSite.tasksByIds),
    tasksByDeployment: new DataLoader<number, DeploymentTask[]>(onSite.tasksByDeployments),
    reportById: new DataLoader<number, SituationReport | null>(situation.byIds),
    reportsByIncident: new DataLoader<number, SituationReport[]>(situation.byIncidents),
  };
}

export type FieldLoaders = ReturnType<typeof createFieldLoaders>;
