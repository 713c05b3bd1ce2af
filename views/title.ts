// What a session is called and what it holds, in words: pure functions the catalog's rows use too.
export { sessionTitle, valuePreview } from '../app/engine/title.ts';
