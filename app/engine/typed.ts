// Typed values for authors: `defineWorkflow` reads each step's field keys and kinds, so the values a default, an
// option list, a validator, `when` or `skipReason` receives are typed from the steps before it, and a key no
// earlier step has is a compile error. At run time it is the identity function.
//
// Each step position has its own type parameter: TypeScript infers a step from its literal once the steps before
// it are known, which one tuple parameter for all steps cannot do (the functions inside would need the whole
// tuple first). Steps past the 20th are typed with the loose `Values`.
import type { Json } from '../log/events.ts';
import type { Field, FieldKind, FieldOf } from '../fields/registry.ts';
import type { Option, Values, Verdict } from '../fields/types.ts';
import type { Step, Workflow } from './definition.ts';

/** The value a field of this kind records (as its `validate` receives it). */
type KindValue<K extends FieldKind> = FieldOf<K> extends { validate?: (value: infer V, ...rest: never[]) => unknown } ? V : Json;

/** Kinds whose empty value is not null: text stays '', a box unticked is false, no choices is []. */
type NeverNull = 'text' | 'textarea' | 'pattern' | 'checkbox' | 'switch' | 'choices' | 'list' | 'group';
type Empty<F> = F extends { required: true } ? never : F extends { kind: NeverNull } ? never : null;

/** The value of a declared field: a group's object and a list's rows typed from their fields; null when optional and empty. */
export type ValueOf<F> = F extends { kind: 'group'; fields: infer Fs extends readonly unknown[] }
  ? ObjectOf<Fs>
  : F extends { kind: 'list'; fields: infer Fs extends readonly unknown[] }
    ? ObjectOf<Fs>[]
    : F extends { kind: infer K extends FieldKind }
      ? KindValue<K> | Empty<F>
      : Json;

type ObjectOf<Fs extends readonly unknown[]> = { -readonly [F in Fs[number] as F extends { key: infer K extends string } ? K : never]: ValueOf<F> };

type FieldsOf<St> = St extends { fields: readonly (infer F)[] } ? (St extends { when: unknown } ? F & { readonly __skippable: true } : F) : never;
type ResultsOf<St> = St extends { results: infer R } ? { [K in keyof R]: Json | undefined } : {};
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Flat<T> = { [K in keyof T]: T[K] };

/** The values of these steps by key: their fields' (undefined when the step may be skipped) and their jobs' results. */
export type ValuesOfSteps<S extends readonly unknown[]> = Flat<
  {
    [F in FieldsOf<S[number]> as F extends { key: infer K extends string } ? K : never]: F extends { __skippable: true } ? ValueOf<F> | undefined : ValueOf<F>;
  } & UnionToIntersection<ResultsOf<S[number]>>
>;

type OptionsFor<V> = readonly (Option | string)[] | ((values: V) => readonly (Option | string)[]);

/** A field of one kind whose functions see `V`; with its kind as discriminant, `validate` gets that kind's value. */
type TypedFieldOf<K extends FieldKind, V> = Omit<FieldOf<K>, 'default' | 'validate' | 'options' | 'fields'> & {
  default?: KindValue<K> | ((values: V) => KindValue<K>);
  validate?: (value: KindValue<K>, values: V) => Verdict | Promise<Verdict>;
} & (FieldOf<K> extends { options: unknown } ? { options: OptionsFor<V> } : {}) &
  (FieldOf<K> extends { fields: unknown } ? { fields: readonly TypedField<V>[] } : {});

export type TypedField<V> = { [K in FieldKind]: TypedFieldOf<K, V> }[FieldKind];

/** A step whose functions see `V`, the values of the steps before it. */
export type TypedStep<V> = Omit<Step, 'fields' | 'when' | 'skipReason'> & {
  fields: readonly TypedField<V>[];
  when?: (values: V) => boolean;
  skipReason?: string | ((values: V) => string);
};

/** A step as written, before its types are narrowed: what a type parameter of defineWorkflow is inferred from. */
type LooseStep = { id: string; fields: readonly LooseField[]; [more: string]: unknown };
type LooseField = { key: string; kind: FieldKind; [more: string]: unknown };

/**
 * Declares a workflow. Each step's defaults, options, validators, `when` and `skipReason` receive the values of
 * the steps before it, typed from their fields' kinds.
 */
export function defineWorkflow<
  const S1 extends LooseStep,
  const S2 extends LooseStep,
  const S3 extends LooseStep,
  const S4 extends LooseStep,
  const S5 extends LooseStep,
  const S6 extends LooseStep,
  const S7 extends LooseStep,
  const S8 extends LooseStep,
  const S9 extends LooseStep,
  const S10 extends LooseStep,
  const S11 extends LooseStep,
  const S12 extends LooseStep,
  const S13 extends LooseStep,
  const S14 extends LooseStep,
  const S15 extends LooseStep,
  const S16 extends LooseStep,
  const S17 extends LooseStep,
  const S18 extends LooseStep,
  const S19 extends LooseStep,
  const S20 extends LooseStep,
>(
  workflow: Omit<Workflow, 'steps'> & {
    steps: readonly [
    (S1 & TypedStep<ValuesOfSteps<[]>>),
    (S2 & TypedStep<ValuesOfSteps<[S1]>>)?,
    (S3 & TypedStep<ValuesOfSteps<[S1, S2]>>)?,
    (S4 & TypedStep<ValuesOfSteps<[S1, S2, S3]>>)?,
    (S5 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4]>>)?,
    (S6 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5]>>)?,
    (S7 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6]>>)?,
    (S8 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7]>>)?,
    (S9 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8]>>)?,
    (S10 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9]>>)?,
    (S11 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10]>>)?,
    (S12 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11]>>)?,
    (S13 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12]>>)?,
    (S14 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13]>>)?,
    (S15 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14]>>)?,
    (S16 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15]>>)?,
    (S17 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15, S16]>>)?,
    (S18 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15, S16, S17]>>)?,
    (S19 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15, S16, S17, S18]>>)?,
    (S20 & TypedStep<ValuesOfSteps<[S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15, S16, S17, S18, S19]>>)?,
      ...TypedStep<Values>[],
    ];
  },
): Workflow {
  return workflow as unknown as Workflow;
}

export type { Field };
