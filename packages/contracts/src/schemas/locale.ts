import { en } from 'zod/locales';
import * as z from 'zod/mini';

// `zod/mini` ships no locale: without one every issue reads "Invalid input". Classic `zod` sets
// English on first use unless the application chose a locale; the contracts' schemas do the same
// when this module loads, so users see the messages classic zod gives ("Unrecognized key: …",
// "Too small: expected string to have >=1 characters"). An application's own
// `z.config(z.locales.xx())` wins, whenever it runs. Listed in package.json `sideEffects`.
if (!z.config().localeError) z.config(en());
