"""The portal's and the console's home pages."""
