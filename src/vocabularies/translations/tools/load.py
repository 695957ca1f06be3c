import os
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
import yaml, re
# The brief's shared reference folder, beside the repository's parent (see ../README.md).
REF=os.environ.get('SDG_TRANSLATIONS', os.path.join(HERE, '..', '..', '..', '..', '..', 'shared', 'reference', 'sdg-translations'))
EN=yaml.safe_load(open(os.path.join(HERE, '..', '..', 'sdg.yaml')))
def targets_en():
    out={}
    for g in EN['terms']:
        for t in g['children']:
            out[t['code']]=t
    return out
import unicodedata
def ref(lang, kind):
    d = yaml.safe_load(open(f'{REF}/{lang}/global_{kind}.yml', encoding='utf-8'))
    return {k: unicodedata.normalize('NFC', v) for k, v in d.items()}
def tkey(code):  # "10.a" -> "10-a"
    return code.replace('.','-')
