package io.facecast.rtc;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import java.nio.ByteBuffer;

/** Copies between tightly packed I420 byte arrays (Y, then U, then V; no padding) and strided native buffers. */
final class I420Frames {
    private I420Frames() {
    }

    static int chromaWidth(int width) {
        return (width + 1) / 2;
    }

    static int chromaHeight(int height) {
        return (height + 1) / 2;
    }

    static int packedSize(int width, int height) {
        return width * height + 2 * chromaWidth(width) * chromaHeight(height);
    }

    static NativeI420Buffer toNative(byte[] i420, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        int need = packedSize(width, height);
        if (i420.length < need) {
            throw new IllegalArgumentException("I420 frame of " + width + "x" + height + " needs " + need
                    + " bytes, got " + i420.length);
        }
        NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
        int cw = chromaWidth(width);
        int ch = chromaHeight(height);
        int offset = 0;
        offset = putPlane(buffer.getDataY(), buffer.getStrideY(), i420, offset, width, height);
        offset = putPlane(buffer.getDataU(), buffer.getStrideU(), i420, offset, cw, ch);
        putPlane(buffer.getDataV(), buffer.getStrideV(), i420, offset, cw, ch);
        return buffer;
    }

    static byte[] toPacked(I420Buffer buffer) {
        int width = buffer.getWidth();
        int height = buffer.getHeight();
        int cw = chromaWidth(width);
        int ch = chromaHeight(height);
        byte[] out = new byte[packedSize(width, height)];
        int offset = 0;
        offset = getPlane(buffer.getDataY(), buffer.getStrideY(), out, offset, width, height);
        offset = getPlane(buffer.getDataU(), buffer.getStrideU(), out, offset, cw, ch);
        getPlane(buffer.getDataV(), buffer.getStrideV(), out, offset, cw, ch);
        return out;
    }

    private static int putPlane(ByteBuffer plane, int stride, byte[] src, int offset, int w, int h) {
        if (stride == w) {
            plane.put(src, offset, w * h);
            return offset + w * h;
        }
        for (int row = 0; row < h; row++) {
            plane.position(row * stride);
            plane.put(src, offset, w);
            offset += w;
        }
        return offset;
    }

    private static int getPlane(ByteBuffer plane, int stride, byte[] dst, int offset, int w, int h) {
        if (stride == w) {
            plane.get(dst, offset, w * h);
            return offset + w * h;
        }
        for (int row = 0; row < h; row++) {
            plane.position(row * stride);
            plane.get(dst, offset, w);
            offset += w;
        }
        return offset;
    }
}
