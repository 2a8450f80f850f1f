import type { CreateUserRequest, SetUserRoleRequest, UserList, UserView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

export const USERS_KEY = ['/api/users'] as const;

export function useUsers() {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => api.GET('/api/users', { signal }),
  });
}

/** Puts the server's answer for one user into the list, so the table changes without a reload. */
function useReplaceUser() {
  const client = useQueryClient();
  return (user: UserView) =>
    client.setQueryData<UserList>(USERS_KEY, (list) =>
      list ? { users: list.users.map((u) => (u.id === user.id ? user : u)) } : list,
    );
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserRequest) => api.POST('/api/users', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export type UserAction = 'disable' | 'enable' | 'reset-totp';

export function useUserAction() {
  const replace = useReplaceUser();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: UserAction }) =>
      api.POST(`/api/users/{id}/${action}`, { params: { path: { id } }, body: {} }),
    onSuccess: replace,
  });
}

/** A one-time password from the server, shown once; the list shows the user as having to change it. */
export function useResetPassword() {
  const replace = useReplaceUser();
  return useMutation({
    mutationFn: (id: string) =>
      api.POST('/api/users/{id}/reset-password', { params: { path: { id } }, body: {} }),
    onSuccess: (reset) => replace(reset.user),
  });
}

export function useSetRole() {
  const replace = useReplaceUser();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SetUserRoleRequest }) =>
      api.PUT('/api/users/{id}/role', { params: { path: { id } }, body }),
    onSuccess: replace,
  });
}
