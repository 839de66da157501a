#!/usr/bin/env bash
# render_wheel.sh [SVG [PNG]] — draw the wheel picture with headless
# Chromium, to look at it as a browser shows it, and to make the README's
# doc/wheel.png.  SVG defaults to ./cvfw-wheel.svg, which `make demo`
# writes (run it first); PNG to doc/wheel.png.  As root, installs Debian's
# chromium when it is missing.  Not part of make check: a fresh machine has
# no browser.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
svg=${1:-cvfw-wheel.svg}
png=${2:-$ROOT/doc/wheel.png}
# 0.8: the README's picture stays legible and under 200 kB
scale=${CVFW_RENDER_SCALE:-0.8}

[[ -f $svg ]] || { echo "render_wheel: no $svg; run 'make demo' first, or name an SVG file" >&2; exit 1; }
if ! command -v chromium >/dev/null; then
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		echo "render_wheel: installing chromium with apt-get" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null ||
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
	else
		echo "render_wheel: needs chromium: apt-get install chromium" >&2
		exit 1
	fi
fi

# the page is the picture's own size: read it from the root element
width=$(sed -n 's/^<svg [^>]*width="\([0-9]*\)".*/\1/p' "$svg" | head -n 1)
height=$(sed -n 's/^<svg [^>]*height="\([0-9]*\)".*/\1/p' "$svg" | head -n 1)
[[ -n $width && -n $height ]] || { echo "render_wheel: $svg does not look like cvfw_wheel_svg output" >&2; exit 1; }
abs_svg=$(cd "$(dirname "$svg")" && pwd)/$(basename "$svg")
mkdir -p "$(dirname "$png")"
# chromium chatters about D-Bus on a server; its own exit status says enough
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--force-device-scale-factor="$scale" --window-size="$width,$height" \
	--screenshot="$png" "file://$abs_svg" >/dev/null 2>&1
echo "render_wheel: $png ($(wc -c <"$png") bytes) from $svg"
