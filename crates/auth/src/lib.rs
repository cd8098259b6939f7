//! Bearer-token verification (RS256, JWKS) for jwt mode.
