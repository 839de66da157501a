#!/usr/bin/env bash
# text_boxes.sh SVG... — measure every text of cvfw_wheel_svg pictures as
# headless Chromium lays it out (getBBox, with the fonts this machine has)
# and fail when a text runs outside the canvas or a stage's text outside its
# circle.  The unit test (test/unit/test_wheel.c) checks the same with font
# metrics and runs everywhere; this checks it in a real browser, where one is
# installed (apt-get install chromium).
set -euo pipefail
command -v chromium >/dev/null || { echo "text_boxes: needs chromium: apt-get install chromium" >&2; exit 1; }
rc=0
for svg in "$@"; do
	page=$(mktemp /tmp/cvfw-boxes.XXXXXX.html)
	{
		echo '<!DOCTYPE html><html><body style="margin:0">'
		cat "$svg"
		cat <<'JS'
<pre id="out"></pre><script>
const svg = document.querySelector('svg'), W = +svg.getAttribute('width'), H = +svg.getAttribute('height');
const bad = [];
let n = 0;
for (const t of svg.querySelectorAll('text')) {
  const b = t.getBBox(); n++;
  if (b.x < 0 || b.y < 0 || b.x + b.width > W || b.y + b.height > H)
    bad.push(`outside the canvas: ${t.textContent} [${b.x.toFixed(0)}..${(b.x + b.width).toFixed(0)}, ${b.y.toFixed(0)}..${(b.y + b.height).toFixed(0)}]`);
  const g = t.closest('g.stage');
  if (g) {
    const c = g.querySelector('circle'), cx = +c.getAttribute('cx'), cy = +c.getAttribute('cy'), r = +c.getAttribute('r');
    for (const s of t.querySelectorAll('tspan[x]')) {
      const e = s.getBBox();
      /* glyph boxes include the line's full ascent and descent: allow their empty top and bottom */
      const dx = Math.max(Math.abs(e.x - cx), Math.abs(e.x + e.width - cx));
      const dy = Math.max(Math.abs(e.y + 0.2 * e.height - cy), Math.abs(e.y + 0.85 * e.height - cy));
      if (dx * dx + dy * dy > r * r) bad.push(`outside its circle: ${s.textContent}`);
    }
  }
}
document.getElementById('out').textContent = `texts ${n}\n` + bad.join('\n');
</script></body></html>
JS
	} >"$page"
	out=$(chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
		--no-first-run --dump-dom "file://$page" 2>/dev/null | sed -n '/<pre id="out">/,/<\/pre>/p' |
		sed -e 's/<pre id="out">//' -e 's/<\/pre>.*//')
	rm -f "$page"
	if [[ -z $out ]]; then
		echo "not ok - $svg: chromium measured nothing"
		rc=1
	elif [[ $(wc -l <<<"$out") -gt 1 ]]; then
		echo "not ok - $svg: $(head -n 1 <<<"$out")"
		tail -n +2 <<<"$out" | sed 's/^/    /'
		rc=1
	else
		echo "ok - $svg: $(head -n 1 <<<"$out"), all inside"
	fi
done
exit $rc
