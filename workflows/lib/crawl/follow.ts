import { fetchWithRetries, type Fetched, type FetchSettings, type WantBody } from './fetch.ts';

const MAX_HOPS = 5;

/** Fetches a resource the crawler needs for itself (robots.txt, sitemaps), following up to five redirects. */
export async function fetchFollowing(url: string, settings: FetchSettings, wantBody: WantBody, signal: AbortSignal): Promise<Fetched> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const answer = await fetchWithRetries(current, settings, wantBody, signal);
    if (!answer.status || answer.status < 300 || answer.status >= 400 || !answer.location || hop >= MAX_HOPS) return answer;
    current = new URL(answer.location, current).href;
  }
}
