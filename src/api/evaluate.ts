// fomlab.evaluate: cuts, curves, binned significance, mass sculpting, distance correlation, the report's judgements.
export { judge, methodsOf, scoreSplit, type Method, type JudgeInput, type JudgedSplit as JudgedEvents, type TrainedNet as JudgedNet } from '../evaluate/judge.js';
export type * from '../evaluate/summary.js';
export { RUN_SUMMARY_SCHEMA } from '../evaluate/summary.js';
export { optimalCuts, cutsAt, bestCommonCut, aggregateSigmaMin, type HypothesisCuts, type CutOptions, type CutAggregate } from '../evaluate/cuts.js';
export { binnedSignificance, type BinnedOptions, type BinnedSignificance, type SignificanceBin } from '../evaluate/binned.js';
export { rocCurve, rocAuc, type RocCurve } from '../evaluate/roc.js';
export { zCurve, type ZCurve, type ZCurveOptions } from '../evaluate/zcurve.js';
export { massSculpting, backgroundDisco, type MassSculpting, type SculptingOptions } from '../evaluate/sculpting.js';
export { distanceCorrelation, type DiscoOptions, type DiscoResult } from '../evaluate/disco.js';
export { scoredEvents, type ScoredEvents } from '../evaluate/scored.js';
export { correlationMatrix, type CorrelationMatrix } from '../evaluate/correlations.js';
export { weightedKs, kolmogorovQ, type KsResult } from '../evaluate/overtraining.js';
export { maxPunziFom, type PunziScan } from '../evaluate/punzi-scan.js';
export { judgeFully, featureCorrelations, windowRows, type JudgementInput } from '../evaluate/judgements.js';
export { headlineOf, headlineSentences, formatMeanSe, commonCutPenalty, verdictRanges, meanSe, type Headline, type MassVerdict, type MeanSe, type CommonCutPenalty, type Verdict } from '../evaluate/headline.js';
export { integratedGradients, drawBaselines, pathWeights, summariseAttributions, completenessGap, outputsOf, type Attributions, type FeatureAttribution, type IntegratedGradientsOptions, type QuadratureRule } from '../evaluate/attributions.js';
export { windowSeparation, formatWindowSeparation, type WindowSeparation, type WindowSeparationOptions } from '../evaluate/window-separation.js';
