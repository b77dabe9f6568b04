#!/bin/sh
# Regenerates the expected conversion data with glibc iconv, an independent converter.
# Run once from this folder (sh generate.sh); the outputs are committed as test data so
# the tests never need iconv. Written with glibc 2.x iconv; `iconv -l` must list
# TCVN5712-1, VISCII and CP1258.
set -eu
cd "$(dirname "$0")"
mkdir -p iconv
for enc in TCVN5712-1 VISCII CP1258; do
    name=$(echo "$enc" | tr 'A-Z' 'a-z')
    # One line per byte: the byte in hex, a tab, its UTF-8 decoding in hex, or "-"
    # when iconv refuses the byte (undefined in that code page).
    out="iconv/$name.bytes.tsv"
    : > "$out"
    i=0
    while [ $i -lt 256 ]; do
        hex=$(printf '%02X' $i)
        if utf8=$(printf "\\$(printf '%03o' $i)" | iconv -f "$enc" -t UTF-8 2>/dev/null | od -An -tx1 | tr -d ' \n'); [ -n "$utf8" ] || [ $i -eq 0 ]; then
            [ $i -eq 0 ] && utf8=00
            printf '%s\t%s\n' "$hex" "$utf8" >> "$out"
        else
            printf '%s\t-\n' "$hex" >> "$out"
        fi
        i=$((i + 1))
    done
    # The sample sentences (UTF-8, NFC) encoded into the legacy code page.
    iconv -f UTF-8 -t "$enc" < sentences.txt > "iconv/sentences.$name"
done
