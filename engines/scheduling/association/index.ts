/** P1 of S1 (SPEC §5.3): weighted K-means++ association, NN + 2-opt tours, collection timing/energy. */
export type { Point, KMeansOptions } from './kmeans.ts';
export { associateUsers, matchToStarts, regionAssociation, dataBalancedAssociation } from './kmeans.ts';
export { planTour, tourLength } from './tour.ts';
export type { UserLoad, UavCollection, CollectionPlan } from './collect.ts';
export { planCollection } from './collect.ts';
