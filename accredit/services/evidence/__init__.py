"""Evidence: uploading files (type, size and zip-bomb checks, virus scanning) and the library of
items an organisation links to its answers.
"""
