/**
 * Kemendagri region codes: province `64`, kabupaten/kota `64.08`, kecamatan `64.08.05`, desa or
 * kelurahan `64.08.05.2001`. Each level's code starts with its parent's, which is how a kecamatan
 * is checked to sit under its kabupaten.
 */
export const KABUPATEN_CODE = /^\d{2}\.\d{2}$/;
export const KECAMATAN_CODE = /^\d{2}\.\d{2}\.\d{2}$/;
export const DESA_CODE = /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/;

/**
 * Kabupaten and kota of Kalimantan Timur, where the first sites are: a row naming one of these
 * codes must name this place, which catches swapped codes. Codes elsewhere are checked by format.
 */
export const KNOWN_KABUPATEN: Readonly<Record<string, string>> = {
  '64.01': 'Paser',
  '64.02': 'Kutai Kartanegara',
  '64.03': 'Berau',
  '64.07': 'Kutai Barat',
  '64.08': 'Kutai Timur',
  '64.09': 'Penajam Paser Utara',
  '64.11': 'Mahakam Ulu',
  '64.71': 'Balikpapan',
  '64.72': 'Samarinda',
  '64.74': 'Bontang',
};

/** "Kab. Kutai Timur", "KABUPATEN KUTAI TIMUR" and "Kutai Timur" name the same place. */
export function sameRegionName(a: string, b: string): boolean {
  return normalise(a) === normalise(b);
}

function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(kabupaten|kab\.?|kota)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isUnder(childCode: string, parentCode: string): boolean {
  return childCode.startsWith(`${parentCode}.`);
}
