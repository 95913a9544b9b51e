"""Reports and packs: the readiness report, the peer benchmark, the PDF evidence pack and its
charts, certificates, fingerprints and the public check of a pack or certificate.
"""
