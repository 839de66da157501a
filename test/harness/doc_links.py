#!/usr/bin/env python3
"""doc_links.py — every relative link in README.md, CHANGELOG.md and doc/*.md
points at a file of the repository, and every #anchor at a heading of that
page (GitHub's rule: lowercase, punctuation other than - and _ dropped,
spaces to -).  Prints the broken ones, nothing when all resolve."""
import glob
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.chdir(root)
pages = ['README.md', 'CHANGELOG.md'] + sorted(glob.glob('doc/*.md'))


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r'[^\w\- ]', '', s)
    return s.replace(' ', '-')


def anchors(path):
    found, fence = set(), False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
        elif not fence and (m := re.match(r'#{1,6} (.*)', line)):
            found.add(slug(m.group(1)))
    return found


bad = 0
for page in pages:
    if not os.path.exists(page):
        continue
    text, fence = [], False
    for line in open(page, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
        elif not fence:
            text.append(line)
    for target in re.findall(r'\]\(([^)\s]+)\)', ''.join(text)):
        if re.match(r'[a-z]+:', target):
            continue            # http:, mailto: — not ours to check here
        path, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        if not os.path.exists(dest):
            print(f'{page}: link to {target}: no such file')
            bad += 1
        elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
            print(f'{page}: link to {target}: no such heading in {dest}')
            bad += 1
sys.exit(1 if bad else 0)
