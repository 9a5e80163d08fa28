// Every scenario, in the order a full run measures them.

import { cliScenarios } from './cli.ts';
import { createRunScenarios } from './create-run.ts';
import { getRunScenarios } from './get-run.ts';
import { groupByScenarios } from './group-by.ts';
import { listScenarios } from './lists.ts';
import { planScenarios } from './plan.ts';
import type { Config, Scenario } from './types.ts';

export function allScenarios(config: Config): Scenario[] {
  return [
    ...planScenarios(config),
    ...createRunScenarios(config),
    ...getRunScenarios(config),
    ...listScenarios(config),
    ...groupByScenarios(config),
    ...cliScenarios(config),
  ];
}

export function scenarioNamed(config: Config, name: string): Scenario {
  const scenario = allScenarios(config).find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario "${name}"`);
  return scenario;
}
