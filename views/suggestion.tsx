import type { Offer } from '../app/engine/suggestions.ts';

/**
 * Beside a field that kept the person's own value: what is suggested now, and a button that puts it in the
 * field (public/cardtrail.js; nothing is recorded until the form is sent).
 */
export function SuggestionOffer({ offer, label }: { offer: Offer; label: string }) {
  const target = `f-${offer.key}`;
  return (
    <p class="suggestion" data-offer={offer.key}>
      <small>
        Your value is kept. Suggested now: <q class="suggested">{offer.raw}</q>
      </small>{' '}
      <button type="button" class="secondary outline" data-fill={target} data-value={offer.raw}>
        Use the suggestion<span class="visually-hidden"> for {label}</span>
      </button>
    </p>
  );
}
