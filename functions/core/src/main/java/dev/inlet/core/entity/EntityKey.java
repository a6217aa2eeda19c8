package dev.inlet.core.entity;

/** One thing a provider tells us about: (provider, entity type, entity id), e.g. (rheo, item, SKU-1001). */
public record EntityKey(String provider, String type, String id) {
    public EntityKey {
        for (String part : new String[] {provider, type, id}) {
            if (part == null || part.isBlank()) {
                throw new IllegalArgumentException("an entity key needs a provider, a type and an id");
            }
        }
    }

    public String asString() {
        return provider + "#" + type + "#" + id;
    }
}
