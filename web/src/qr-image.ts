// QR codes drawn on the phone itself, so a badge whose link changes (the live code) needs no network.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** As the server draws printed badges: medium error correction, a two-module quiet zone. */
const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 2 } as const;

/**
 * An SVG data URL of a QR code of `text`; null until the first is drawn. The last image stays up while the next
 * is drawn, so the badge never blinks when its link changes.
 */
export function useQrImage(text: string | null): string | null {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    if (text === null) return;
    let current = true;
    QRCode.toString(text, QR_OPTIONS)
      .then((svg) => {
        if (current) setImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      // Only a text too long for any QR code fails: a badge link never is.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [text]);
  return image;
}
