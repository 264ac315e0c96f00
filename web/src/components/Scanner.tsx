import { useEffect, useRef, useState } from 'react';
import { useLatest } from '../hooks';

type CameraState = 'starting' | 'running' | 'denied' | 'unavailable';

const SCAN_INTERVAL_MS = 150;
/** Frames are scaled down to this many pixels on the long side before decoding: fast and plenty for a badge. */
const MAX_SIDE = 720;

/**
 * The phone camera (rear one when there is one), decoded with jsQR every ~150 ms. Calls onCode with the text
 * of every QR code it sees (callers debounce). The camera stops when the component unmounts.
 */
export function Scanner({ onCode }: { onCode: (text: string) => void }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>('starting');
  const latest = useLatest(onCode);

  useEffect(() => {
    let cancelled = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const video = videoRef.current;

    async function start() {
      if (!navigator.mediaDevices?.getUserMedia || !video || !context) {
        setState('unavailable');
        return;
      }
      try {
        const [media, decoder] = await Promise.all([
          navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false }),
          import('jsqr'),
        ]);
        if (cancelled) {
          media.getTracks().forEach((track) => track.stop());
          return;
        }
        stream = media;
        video.srcObject = media;
        await video.play().catch(() => undefined);
        if (cancelled) return;
        setState('running');
        const jsQR = decoder.default;
        const tick = () => {
          if (cancelled) return;
          if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
            const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
            const width = Math.round(video.videoWidth * scale);
            const height = Math.round(video.videoHeight * scale);
            if (canvas.width !== width) canvas.width = width;
            if (canvas.height !== height) canvas.height = height;
            context.drawImage(video, 0, 0, width, height);
            const image = context.getImageData(0, 0, width, height);
            const found = jsQR(image.data, width, height, { inversionAttempts: 'dontInvert' });
            if (found?.data) latest.current(found.data);
          }
          timer = setTimeout(tick, SCAN_INTERVAL_MS);
        };
        tick();
      } catch (error) {
        if (cancelled) return;
        const name = error instanceof DOMException ? error.name : '';
        setState(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable');
      }
    }

    void start();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
      if (video) video.srcObject = null;
    };
  }, [latest]);

  return (
    <div className="scanner">
      <div className={`camera camera-${state}`}>
        <video ref={videoRef} muted playsInline aria-label="Camera preview" />
        {state === 'running' && <div className="camera-frame" aria-hidden="true" />}
      </div>
      <p className="hint" aria-live="polite">
        {state === 'starting' && 'Starting the camera…'}
        {state === 'running' && 'Point the camera at a badge QR code.'}
        {state === 'denied' && 'Camera access was refused. Allow the camera in your browser, or type the badge code below.'}
        {state === 'unavailable' && 'No camera here. Type the badge code below.'}
      </p>
    </div>
  );
}
