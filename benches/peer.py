"""The peer: the Python pipeline a user would write instead of guanxi, measured on the benchmark's corpus.

Usage: peer.py DICTIONARY.csv OUTPUT.graphml FILE...

- pyahocorasick over every name and alias, leftmost-longest (`iter_long`);
- a jieba word-boundary check on each hit: the hit must start and end where jieba's segmentation of its sentence
  (with every dictionary name added to jieba's dictionary) puts a word boundary;
- same-sentence co-occurrence of the entities found, weighted by the number of sentences;
- networkx `write_graphml`.

It prints one line: `peer: SECONDS s, MB/s, MENTIONS mentions, EDGES edges (load LOAD s)`, the time and throughput
counting the scan, the checks, the graph and its GraphML (not loading the dictionary, reported apart).
"""
import csv
import itertools
import logging
import re
import sys
import time

import ahocorasick
import jieba
import networkx as nx

dictionary, output, files = sys.argv[1], sys.argv[2], sys.argv[3:]
jieba.setLogLevel(logging.WARNING)

started = time.perf_counter()
automaton = ahocorasick.Automaton()
with open(dictionary, encoding="utf-8") as f:
    for row in csv.DictReader(f):
        name = row["name"]
        for surface in [name] + [a for a in (row.get("aliases") or "").split("|") if a]:
            automaton.add_word(surface, (name, len(surface)))
            jieba.add_word(surface)
automaton.make_automaton()
jieba.initialize()
load = time.perf_counter() - started

SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
started = time.perf_counter()
size = 0
mentions = 0
graph = nx.Graph()
for path in files:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    size += len(text.encode("utf-8"))
    for sentence in SENTENCE.findall(text):
        hits = list(automaton.iter_long(sentence))
        if not hits:
            continue
        boundaries = set()
        for _, start, end in jieba.tokenize(sentence):
            boundaries.add(start)
            boundaries.add(end)
        entities = set()
        for end, (name, length) in hits:
            # iter_long gives the index of a hit's last character.
            if end + 1 - length in boundaries and end + 1 in boundaries:
                entities.add(name)
                mentions += 1
        for a, b in itertools.combinations(sorted(entities), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
            else:
                graph.add_edge(a, b, weight=1)
nx.write_graphml(graph, output)
elapsed = time.perf_counter() - started
print(
    f"peer: {elapsed:.2f}s, {size / (1 << 20) / elapsed:.1f} MB/s, {mentions} mentions, "
    f"{graph.number_of_edges()} edges (load {load:.2f}s)"
)
