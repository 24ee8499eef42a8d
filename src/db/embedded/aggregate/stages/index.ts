/** The stages the engine runs itself, by name; the rest go to mingo. */
import { addFieldsStage, unsetStage } from './add-fields.js';
import { groupStage } from './group.js';
import { lookupStage } from './lookup.js';
import { projectStage } from './project.js';
import { countStage, limitStage, matchStage, replaceRootStage, replaceWithStage, skipStage } from './simple.js';
import type { StageFactory } from './types.js';
import { unionWithStage } from './union-with.js';
import { unwindStage } from './unwind.js';

export const NATIVE_STAGES: Readonly<Record<string, StageFactory>> = {
  $match: matchStage,
  $project: projectStage,
  $addFields: addFieldsStage,
  $set: addFieldsStage,
  $unset: unsetStage,
  $unwind: unwindStage,
  $group: groupStage,
  $lookup: lookupStage,
  $limit: limitStage,
  $skip: skipStage,
  $count: countStage,
  $replaceWith: replaceWithStage,
  $replaceRoot: replaceRootStage,
  $unionWith: unionWithStage,
};

export { setSubPipelineRunner } from './union-with.js';

export type { StageContext, StageFn } from './types.js';
